package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.LibrarySnapshot;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

/**
 * Every kind of garbage a peer can send is refused with a message that says what is wrong, and
 * the library stays exactly as it was. The peer is a fake that serves crafted bytes.
 */
class HostilePeerTest {

    static final String CATALOG = "/" + SyncTree.CATALOG;
    static final String GARDEN = "/" + SyncTree.manifest("garden", 1);
    static final String TWINS = "/" + SyncTree.manifest("twins", 1);

    @TempDir
    static Path shared;
    static Library peerLibrary;
    static LibraryTree peerTree;

    @TempDir
    Path tmp;
    Library library;
    String before;
    long storedBefore;

    @BeforeAll
    static void peer() throws IOException {
        peerLibrary = Library.open(shared.resolve("peer"));
        SyncFixtures.importFolder(peerLibrary, SyncFixtures.garden(shared.resolve("garden")), "garden", "Garden", 1,
                shared);
        Path twins = shared.resolve("twins");
        PackFixtures.writeRandom(twins, "a.bin", 1000, 1);
        PackFixtures.writeRandom(twins, "b.bin", 1000, 2);
        SyncFixtures.importFolder(peerLibrary, twins, "twins", "Twins", 1, shared);
        peerTree = new LibraryTree(peerLibrary);
    }

    @AfterAll
    static void closePeer() {
        peerLibrary.close();
    }

    @BeforeEach
    void library() throws IOException {
        library = Library.open(tmp.resolve("here"));
        Path other = tmp.resolve("other");
        PackFixtures.write(other, "index.html", "<title>Already here</title><p>mine</p>");
        SyncFixtures.importFolder(library, other, "other", "Other", 3, tmp);
        before = LibrarySnapshot.of(library);
        storedBefore = library.chunks().storedBytes();
    }

    @AfterEach
    void unchanged() throws IOException {
        try {
            assertThat(LibrarySnapshot.of(library)).as("the library is exactly as it was").isEqualTo(before);
        } finally {
            library.close();
        }
    }

    private SyncStatus sync(Function<String, FakePeer.Answer> change, String... packs) throws IOException {
        try (FakePeer peer = FakePeer.serving(peerTree, change)) {
            return new PackPuller(library, new PeerClient(peer.base()))
                    .sync(List.of(packs), false, new SyncProgress(peer.base().toString(), false, ProgressListener.NONE));
        }
    }

    private void refusedWhole(Function<String, FakePeer.Answer> change, String... expected) {
        assertThatThrownBy(() -> sync(change)).isInstanceOf(SyncException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(expected));
        assertThat(library.chunks().storedBytes()).isEqualTo(storedBefore);
    }

    /** The sync went on, but this pack was refused with a message containing {@code expected}. */
    private SyncStatus refusedPack(String pack, Function<String, FakePeer.Answer> change, String... expected)
            throws IOException {
        SyncStatus status = sync(change, pack);
        assertThat(status.ok()).isFalse();
        assertThat(status.packs()).singleElement().satisfies(p -> {
            assertThat(p.state()).isEqualTo(SyncStatus.State.FAILED);
            assertThat(p.message()).contains(expected);
        });
        return status;
    }

    private static Function<String, FakePeer.Answer> at(String path, FakePeer.Answer answer) {
        return p -> p.equals(path) ? answer : null;
    }

    private static Function<String, FakePeer.Answer> editManifest(String path, java.util.function.Consumer<ObjectNode> e) {
        return p -> p.equals(path) ? FakePeer.Answer.ok(SyncFixtures.edit(FakePeer.real(peerTree, p).body(), e)) : null;
    }

    private static Function<String, FakePeer.Answer> editCatalog(java.util.function.Consumer<ObjectNode> e) {
        return p -> p.equals(CATALOG) ? FakePeer.Answer.ok(SyncFixtures.edit(peerTree.catalog(), e)) : null;
    }

    private static ObjectNode firstPack(ObjectNode catalog) {
        return (ObjectNode) catalog.withArray("packs").get(0);
    }

    @Test
    void aCatalogThatIsNotJsonIsRefused() {
        refusedWhole(at(CATALOG, FakePeer.Answer.ok("{\"format\": 1, \"packs\": [".getBytes(StandardCharsets.UTF_8))),
                "catalog.json: is not valid JSON");
    }

    @Test
    void aHugeCatalogIsRefusedWithoutReadingItAll() {
        byte[] huge = new byte[SyncTree.MAX_CATALOG_BYTES + 1_000_000];
        Arrays.fill(huge, (byte) ' ');
        refusedWhole(at(CATALOG, FakePeer.Answer.ok(huge)), "catalog.json", "larger than");
        refusedWhole(at(CATALOG, new FakePeer.Answer(200, huge, true)), "catalog.json", "larger than");
    }

    @Test
    void aCatalogWithAPathForAPackIdIsRefused() {
        refusedWhole(editCatalog(c -> firstPack(c).put("id", "../../etc")), "'../../etc' is not a pack id");
    }

    @Test
    void aCatalogWithAMalformedDigestIsRefused() {
        refusedWhole(editCatalog(c -> firstPack(c).put("digest", "ABC")), "'digest' must be 64 lowercase hexadecimal");
    }

    @Test
    void aCatalogOfAnotherFormatIsRefused() {
        refusedWhole(editCatalog(c -> c.put("format", 2)), "'format' must be 1");
    }

    @Test
    void aPeerWithoutASyncTreeIsNamedAsSuch() {
        refusedWhole(at(CATALOG, FakePeer.Answer.status(404, "no")), "There is no sync catalog at");
    }

    @Test
    void aFailingPeerIsReportedWithItsStatus() {
        refusedWhole(at(CATALOG, FakePeer.Answer.status(500, "{\"error\":\"x\",\"message\":\"disk on fire\"}")),
                "answered HTTP 500", "disk on fire");
    }

    @Test
    void redirectsAreNotFollowed() {
        refusedWhole(at(CATALOG, FakePeer.Answer.status(302, "")), "answered HTTP 302");
    }

    @Test
    void aCatalogThatLiesAboutTheVersionIsCaughtByTheManifest() throws IOException {
        Function<String, FakePeer.Answer> lie = p -> {
            if (p.equals(CATALOG)) {
                return FakePeer.Answer.ok(SyncFixtures.edit(peerTree.catalog(),
                        c -> ((ObjectNode) c.withArray("packs").get(0)).put("version", 5)));
            }
            return p.equals("/" + SyncTree.manifest("garden", 5)) ? FakePeer.real(peerTree, GARDEN) : null;
        };
        refusedPack("garden", lie, "is version 1 of 'garden', but the catalog lists version 5");
        assertThat(library.chunks().storedBytes()).isEqualTo(storedBefore);
    }

    @Test
    void aCatalogThatLiesAboutTheDigestIsCaughtByTheManifest() throws IOException {
        refusedPack("garden", editCatalog(c -> firstPack(c).put("digest", "0".repeat(64))),
                "the peer's catalog and manifest disagree");
    }

    @Test
    void aCatalogThatLiesAboutTheSizeIsCaught() throws IOException {
        refusedPack("garden", editCatalog(c -> firstPack(c).put("size", 1)), "but the catalog lists 1");
    }

    @Test
    void aManifestThatIsNotJsonIsRefused() throws IOException {
        refusedPack("garden", at(GARDEN, FakePeer.Answer.ok("]".getBytes(StandardCharsets.UTF_8))),
                "manifest.json: is not valid JSON");
    }

    @Test
    void aHugeManifestIsRefused() throws IOException {
        byte[] huge = new byte[SyncTree.MAX_MANIFEST_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');
        refusedPack("garden", at(GARDEN, new FakePeer.Answer(200, huge, true)), "manifest.json", "larger than");
    }

    @Test
    void aFilePathThatClimbsOutOfThePackIsRefused() throws IOException {
        refusedPack("garden", editManifest(GARDEN, m -> ((ObjectNode) m.with("pack").withArray("files").get(0))
                .put("path", "../../etc/passwd")), "'../../etc/passwd'", "'..' segment");
        refusedPack("garden", editManifest(GARDEN, m -> ((ObjectNode) m.with("pack").withArray("files").get(0))
                .put("path", "/etc/passwd")), "absolute");
    }

    @Test
    void chunksThatDoNotAddUpToTheFileAreRefused() throws IOException {
        refusedPack("garden", editManifest(GARDEN, m -> {
            ObjectNode chunk = (ObjectNode) ((ArrayNode) m.with("chunks").elements().next()).get(0);
            chunk.put("size", chunk.get("size").asLong() - 1);
        }), "its chunks add up to", "but the file has");
    }

    @Test
    void aChunkLargerThanTheChunkSizeIsRefused() throws IOException {
        refusedPack("garden", editManifest(GARDEN, m -> {
            ObjectNode chunk = (ObjectNode) ((ArrayNode) m.with("chunks").elements().next()).get(0);
            chunk.put("size", ChunkStore.CHUNK_SIZE + 1);
        }), "'size' must be a whole number from 1 to " + ChunkStore.CHUNK_SIZE);
    }

    @Test
    void aChunkNameThatIsNotAHashIsRefusedBeforeItReachesAUrl() throws IOException {
        refusedPack("garden", editManifest(GARDEN, m -> {
            ObjectNode chunk = (ObjectNode) ((ArrayNode) m.with("chunks").elements().next()).get(0);
            chunk.put("hash", "../../catalog.json");
        }), "'hash' must be 64 lowercase hexadecimal digits");
    }

    @Test
    void aMissingChunkListIsRefused() throws IOException {
        refusedPack("garden", editManifest(GARDEN, m -> m.with("chunks").remove(
                m.with("chunks").fieldNames().next())), "its chunk list is missing");
    }

    @Test
    void chunksThatAreRealButMakeUpAnotherFileAreRefused() throws IOException {
        refusedPack("twins", editManifest(TWINS, m -> {
            ObjectNode chunks = m.with("chunks");
            var names = chunks.fieldNames();
            String a = names.next();
            String b = names.next();
            var first = chunks.get(a);
            chunks.set(a, chunks.get(b));
            chunks.set(b, first);
        }), "its chunks do not make up its content");
    }

    @Test
    void aChunkDamagedEveryTimeIsReportedAfterOneRetryAndNeverPublished() throws IOException {
        String chunk = firstChunk(GARDEN);
        FakePeer.Answer damaged = FakePeer.Answer.ok(flip(peerTree.chunk(chunk).orElseThrow()));
        try (FakePeer peer = FakePeer.serving(peerTree, at("/" + SyncTree.chunk(chunk), damaged))) {
            SyncStatus status = new PackPuller(library, new PeerClient(peer.base())).sync(List.of("garden"), false,
                    new SyncProgress(peer.base().toString(), false, ProgressListener.NONE));
            assertThat(status.packs()).singleElement().satisfies(p -> {
                assertThat(p.state()).isEqualTo(SyncStatus.State.FAILED);
                assertThat(p.message()).contains(chunk).contains("damaged chunk twice")
                        .contains("do not match its SHA-256");
            });
            assertThat(peer.requests("/" + SyncTree.chunk(chunk))).isEqualTo(2);
        }
    }

    @Test
    void aChunkLongerThanListedIsRefused() throws IOException {
        String chunk = firstChunk(GARDEN);
        byte[] real = peerTree.chunk(chunk).orElseThrow();
        byte[] longer = Arrays.copyOf(real, real.length + 100);
        refusedPack("garden", at("/" + SyncTree.chunk(chunk), FakePeer.Answer.ok(longer)), "more than its");
    }

    @Test
    void aPackTheCatalogDoesNotHaveIsNamed() {
        assertThatThrownBy(() -> sync(p -> null, "nope")).isInstanceOf(SyncException.class)
                .hasMessageContaining("has no pack 'nope'").hasMessageContaining("garden");
    }

    private static String firstChunk(String manifestPath) {
        byte[] manifest = FakePeer.real(peerTree, manifestPath).body();
        PeerManifest m = PeerManifest.parse(manifest, "test");
        return m.recipes().values().iterator().next().chunks().get(0).hash();
    }

    private static byte[] flip(byte[] data) {
        byte[] copy = data.clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
    }
}
