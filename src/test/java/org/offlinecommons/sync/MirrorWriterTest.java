package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.store.ChunkRef;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;

class MirrorWriterTest {

    @TempDir
    Path tmp;
    Library library;
    Path mirror;

    @BeforeEach
    void library() throws IOException {
        library = Library.open(tmp.resolve("lib"));
        SyncFixtures.importFolder(library, SyncFixtures.garden(tmp.resolve("garden")), "garden", "Garden", 1, tmp);
        Path media = tmp.resolve("media");
        PackFixtures.writeRandom(media, "a.mp4", 2_500_000, 1);
        SyncFixtures.importFolder(library, media, "media", "Media", 4, tmp);
        mirror = tmp.resolve("stick");
    }

    @AfterEach
    void close() {
        library.close();
    }

    @Test
    void writesTheSameTreeTheServerServes() throws IOException {
        MirrorWriter.Result r = new MirrorWriter(library).write(mirror, List.of(), ProgressListener.NONE);
        assertThat(r.packs()).isEqualTo(2);
        LibraryTree tree = new LibraryTree(library);
        assertThat(Files.readAllBytes(mirror.resolve(SyncTree.CATALOG))).isEqualTo(tree.catalog());
        for (PackRecord p : library.catalog().packs()) {
            assertThat(Files.readAllBytes(mirror.resolve(SyncTree.manifest(p.id(), p.version()))))
                    .isEqualTo(tree.manifest(p));
            for (FileRecipe recipe : tree.recipes(p)) {
                for (ChunkRef c : recipe.chunks()) {
                    byte[] bytes = Files.readAllBytes(mirror.resolve(SyncTree.chunk(c.hash())));
                    assertThat(Hashes.sha256Hex(bytes)).isEqualTo(c.hash());
                }
            }
        }
        assertThat(r.bytesWritten()).isEqualTo(library.chunks().storedBytes());
        PeerCatalog catalog = PeerCatalog.parse(Files.readAllBytes(mirror.resolve(SyncTree.CATALOG)), "mirror");
        assertThat(catalog.packs()).extracting(PeerCatalog.Entry::id).containsExactly("garden", "media");
        assertThat(catalog.server()).isEqualTo(ServerIdentity.of(library));
        assertThat(chunkFiles()).hasSize(library.chunks().allChunkHashes().size());
    }

    @Test
    void runningAgainKeepsWhatIsThere_repairsDamage_andRemovesWhatIsNoLongerNeeded() throws IOException {
        new MirrorWriter(library).write(mirror, List.of(), ProgressListener.NONE);
        Path someChunk = mirror.resolve(SyncTree.ROOT).resolve("chunks").resolve(chunkFiles().iterator().next());
        byte[] good = Files.readAllBytes(someChunk);
        byte[] bad = good.clone();
        bad[0] ^= 1;
        Files.write(someChunk, bad);
        Files.writeString(mirror.resolve("README.txt"), "put here by a person");
        Files.writeString(mirror.resolve(SyncTree.ROOT).resolve("chunks").resolve("notes.txt"), "also a person's");

        MirrorWriter.Result again = new MirrorWriter(library).write(mirror, List.of(), ProgressListener.NONE);
        assertThat(again.chunksWritten()).isEqualTo(1);
        assertThat(again.bytesWritten()).isEqualTo(good.length);
        assertThat(again.chunksKept()).isEqualTo(library.chunks().allChunkHashes().size() - 1);
        assertThat(Files.readAllBytes(someChunk)).isEqualTo(good);

        MirrorWriter.Result onlyGarden = new MirrorWriter(library).write(mirror, List.of("garden"),
                ProgressListener.NONE);
        assertThat(onlyGarden.packs()).isEqualTo(1);
        assertThat(onlyGarden.filesRemoved()).isEqualTo(1 + 3); // media's manifest and its three chunks
        assertThat(Files.exists(mirror.resolve(SyncTree.manifest("media", 4)))).isFalse();
        assertThat(Files.exists(mirror.resolve(SyncTree.ROOT).resolve("packs").resolve("media"))).isFalse();
        assertThat(PeerCatalog.parse(Files.readAllBytes(mirror.resolve(SyncTree.CATALOG)), "m").packs())
                .extracting(PeerCatalog.Entry::id).containsExactly("garden");
        assertThat(mirror.resolve("README.txt")).exists();
        assertThat(mirror.resolve(SyncTree.ROOT).resolve("chunks").resolve("notes.txt")).exists();
    }

    @Test
    void anUnknownPackIsNamed() {
        assertThatThrownBy(() -> new MirrorWriter(library).write(mirror, List.of("nope"), ProgressListener.NONE))
                .isInstanceOf(PackException.class).hasMessageContaining("no pack 'nope'");
    }

    private Set<String> chunkFiles() throws IOException {
        try (Stream<Path> s = Files.list(mirror.resolve(SyncTree.ROOT).resolve("chunks"))) {
            return s.map(p -> p.getFileName().toString()).filter(Hashes::isSha256Hex).collect(Collectors.toSet());
        }
    }
}
