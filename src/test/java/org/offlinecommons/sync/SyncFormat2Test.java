package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackExporter;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryTables;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.ProgressListener;

/** Format-2 packs over sync: a manifest in content-addressed pieces, from a live tree and a static mirror. */
class SyncFormat2Test {

    @TempDir
    Path tmp;
    Library peerLibrary;
    Library library;
    Path site;
    Path zip;

    @BeforeEach
    void libraries() throws IOException {
        peerLibrary = Library.open(tmp.resolve("peer"));
        library = Library.open(tmp.resolve("here"));
        site = tmp.resolve("site");
        // Its Contents follow these links (docs/pack-format.md), not path order: a pulled copy must too.
        PackFixtures.write(site, "index.html", "<title>Shelf</title><p>Start here.</p><ul>"
                + "<li><a href=\"part-3/page-7.html\">7</a><li><a href=\"part-0/page-1.html\">1</a></ul>");
        for (int f = 0; f < 6; f++) {
            for (int i = 0; i < 50; i++) {
                PackFixtures.write(site, "part-" + f + "/page-" + i + ".html", "<title>Page " + f + "." + i
                        + "</title><p>About rivers and topic" + f + "x" + i + ".</p>");
            }
        }
        PackFixtures.writeRandom(site, "media/clip.mp4", 2_500_000, 7);
        zip = pack(1);
        new PackImporter(peerLibrary).importPack(zip, ProgressListener.NONE);
    }

    Path pack(long version) {
        Path out = tmp.resolve("shelf-" + version + ".zip");
        PackBuilder.buildStreamed(site, new PackBuilder.Options("shelf", "Shelf", version, null, null, null, null,
                null, null), out, ProgressListener.NONE);
        return out;
    }

    @AfterEach
    void close() {
        library.close();
        peerLibrary.close();
    }

    SyncStatus sync(FakePeer peer, PeerClient client) {
        return new PackPuller(library, client).sync(List.of(), false,
                new SyncProgress(peer.base().toString(), false, ProgressListener.NONE));
    }

    @Test
    void aFormatTwoPackSyncsWholeAndAnUpdateMovesOnlyItsPieces() throws IOException {
        LibraryTree tree = new LibraryTree(peerLibrary);
        byte[] top = tree.manifest("shelf", 1).orElseThrow();
        assertThat(new String(top, StandardCharsets.UTF_8)).contains("\"format\":2").contains("\"pieces\"");
        try (FakePeer peer = FakePeer.serving(tree, path -> null)) {
            PeerClient client = new PeerClient(peer.base());
            SyncStatus status = sync(peer, client);
            assertThat(status.ok()).as(status.summary()).isTrue();
            assertThat(status.count(SyncStatus.State.ADDED)).isEqualTo(1);
        }
        assertThat(library.catalog().items("shelf")).hasSize(302).first().extracting(Item::title).isEqualTo("Shelf");
        assertThat(library.catalog().items("shelf")).extracting(Item::path).startsWith("index.html",
                "part-3/page-7.html", "part-0/page-1.html", "media/clip.mp4", "part-0/page-0.html")
                .containsExactlyElementsOf(peerLibrary.catalog().items("shelf").stream().map(Item::path).toList());
        Path exported = tmp.resolve("exported.zip");
        new PackExporter(library).export("shelf", exported, ProgressListener.NONE);
        assertThat(Files.readAllBytes(exported)).isEqualTo(Files.readAllBytes(zip));
        assertThat(library.search().search("topic3x17", null, 10, 0).total()).isEqualTo(1);
        assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();

        // Version 2 changes three pages of one part: only their piece (and the top manifest) moves.
        for (int i = 10; i < 13; i++) {
            PackFixtures.write(site, "part-2/page-" + i + ".html", "<title>Changed " + i + "</title><p>new words</p>");
        }
        new PackImporter(peerLibrary).importPack(pack(2), ProgressListener.NONE);
        long fullManifest = tree.manifest("shelf", 2).orElseThrow().length;
        for (var p : tree.pieces(peerLibrary.catalog().pack("shelf").orElseThrow())) {
            fullManifest += p.size();
        }
        AtomicLong pieceBytes = new AtomicLong();
        try (FakePeer peer = FakePeer.serving(tree, path -> {
            if (path.contains("/pieces/")) {
                pieceBytes.addAndGet(FakePeer.real(tree, path).body().length);
            }
            return null;
        })) {
            SyncStatus status = sync(peer, new PeerClient(peer.base()));
            assertThat(status.ok()).as(status.summary()).isTrue();
            assertThat(status.count(SyncStatus.State.UPDATED)).isEqualTo(1);
        }
        assertThat(pieceBytes.get()).isPositive().isLessThan(fullManifest / 4);
        assertThat(library.catalog().items("shelf")).extracting(Item::title).contains("Changed 11");
        Path exported2 = tmp.resolve("exported-2.zip");
        new PackExporter(library).export("shelf", exported2, ProgressListener.NONE);
        assertThat(Files.readAllBytes(exported2)).isEqualTo(Files.readAllBytes(tmp.resolve("shelf-2.zip")));
    }

    @Test
    void aPackOfManyPiecesSyncsWholeAcrossItsGroups() throws IOException {
        // More files than PackPuller takes in one group of pieces (2,048), so the pull runs in three.
        Path many = tmp.resolve("many");
        PackFixtures.write(many, "index.html", "<title>Many</title><p>Start.</p>");
        for (int i = 0; i < 4_500; i++) {
            // Pages large enough to compress, alike enough for a dictionary (store.ChunkCompressor).
            PackFixtures.write(many, "p/" + i + ".html", "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<title>Note " + i + "</title><link rel=\"stylesheet\" href=\"../style.css\"></head><body>"
                    + "<nav class=\"site\"><a href=\"../index.html\">Home</a></nav><main><h1>Note " + i + "</h1>"
                    + "<p>word" + i + "z about seeds, " + (i * 7919 % 1000) + " of them, and how a school garden grows"
                    + " beans, maize and " + (i % 13) + " kinds of squash.</p></main><footer>School library</footer>"
                    + "</body></html>");
        }
        Path manyZip = tmp.resolve("many.zip");
        PackBuilder.buildStreamed(many, new PackBuilder.Options("many", "Many", 1L, null, null, null, null, null, null),
                manyZip, ProgressListener.NONE);
        new PackImporter(peerLibrary).importPack(manyZip, ProgressListener.NONE);
        try (FakePeer peer = FakePeer.serving(new LibraryTree(peerLibrary), path -> null)) {
            SyncStatus status = sync(peer, new PeerClient(peer.base()));
            assertThat(status.ok()).as(status.summary()).isTrue();
            assertThat(status.count(SyncStatus.State.ADDED)).isEqualTo(2);
        }
        assertThat(library.catalog().items("many")).hasSize(peerLibrary.catalog().items("many").size())
                .hasSizeGreaterThan(4_499);
        for (String word : List.of("word0z", "word2047z", "word2048z", "word4499z")) {
            assertThat(library.search().search(word, null, 10, 0).total()).as(word).isEqualTo(1);
        }
        // Both sides compressed most pages with a dictionary of their own, and give them back exactly.
        assertThat(LibraryTables.chunksWithDictionary(peerLibrary)).isGreaterThan(3_000);
        assertThat(LibraryTables.chunksWithDictionary(library)).isGreaterThan(3_000);
        assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
        Path exported = tmp.resolve("many-exported.zip");
        new PackExporter(library).export("many", exported, ProgressListener.NONE);
        assertThat(Files.readAllBytes(exported)).isEqualTo(Files.readAllBytes(manyZip));
    }

    @Test
    void aStaticMirrorServesTheSamePieces() throws IOException {
        Path mirror = tmp.resolve("mirror");
        new MirrorWriter(peerLibrary).write(mirror, List.of(), ProgressListener.NONE);
        assertThat(mirror.resolve("sync/v1/pieces")).isDirectory();
        try (FakePeer peer = new FakePeer(path -> {
            Path file = mirror.resolve(path.substring(1));
            try {
                return Files.isRegularFile(file) ? FakePeer.Answer.ok(Files.readAllBytes(file)) : null;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        })) {
            SyncStatus status = sync(peer, new PeerClient(peer.base()));
            assertThat(status.ok()).as(status.summary()).isTrue();
        }
        Path exported = tmp.resolve("exported.zip");
        new PackExporter(library).export("shelf", exported, ProgressListener.NONE);
        assertThat(Files.readAllBytes(exported)).isEqualTo(Files.readAllBytes(zip));
        // Mirroring again keeps what is there; a deleted pack's pieces and chunks go.
        assertThat(new MirrorWriter(peerLibrary).write(mirror, List.of(), ProgressListener.NONE).chunksWritten())
                .isZero();
        peerLibrary.delete("shelf");
        new MirrorWriter(peerLibrary).write(mirror, List.of(), ProgressListener.NONE);
        try (var left = Files.list(mirror.resolve("sync/v1/pieces"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aPieceThatIsNotTheOneListedIsRefusedAndNothingIsPublished() throws IOException {
        LibraryTree tree = new LibraryTree(peerLibrary);
        try (FakePeer peer = FakePeer.serving(tree, path -> {
            if (path.contains("/pieces/")) {
                byte[] real = FakePeer.real(tree, path).body();
                String text = new String(real, StandardCharsets.UTF_8).replaceFirst("\t[0-9]+\t", "\t1\t");
                return FakePeer.Answer.ok(text.getBytes(StandardCharsets.UTF_8));
            }
            return null;
        })) {
            SyncStatus status = sync(peer, new PeerClient(peer.base()));
            assertThat(status.ok()).isFalse();
            assertThat(status.summary() + status.packs()).contains("is not the piece the manifest lists");
        }
        assertThat(library.catalog().count()).isZero();
    }
}
