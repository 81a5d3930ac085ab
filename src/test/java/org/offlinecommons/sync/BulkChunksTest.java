package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.LibrarySnapshot;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.ProgressListener;

/**
 * Bulk chunk requests (docs/sync-protocol.md §5.1) from the client's side, against a peer that
 * frames its answers by hand: they are used when the peer takes them, and whatever a peer
 * puts in them, only verified chunks are kept and the rest is fetched one by one.
 */
class BulkChunksTest {

    static final String BULK = "/" + SyncTree.BULK_CHUNKS;
    static final String CHUNKS = "/" + SyncTree.ROOT + "/chunks/";

    @TempDir
    static Path shared;
    static Library peerLibrary;
    static LibraryTree peerTree;

    @TempDir
    Path tmp;
    Library library;
    String before;

    @BeforeAll
    static void peer() throws IOException {
        peerLibrary = Library.open(shared.resolve("peer"));
        SyncFixtures.importFolder(peerLibrary, SyncFixtures.garden(shared.resolve("garden")), "garden", "Garden", 1,
                shared);
        Path media = shared.resolve("media");
        for (int i = 0; i < 3; i++) {
            PackFixtures.writeRandom(media, "clips/clip-" + i + ".mp4", 1_500_000, i);
        }
        PackFixtures.write(media, "index.html", "<title>Media shelf</title><p>Three clips about rivers.</p>");
        for (int i = 0; i < 40; i++) {
            PackFixtures.write(media, "pages/river-" + i + ".html", "<title>River " + i + "</title><p>Bend " + i);
        }
        SyncFixtures.importFolder(peerLibrary, media, "media", "Media", 1, shared);
        peerTree = new LibraryTree(peerLibrary);
    }

    @AfterAll
    static void closePeer() {
        peerLibrary.close();
    }

    @BeforeEach
    void library() throws IOException {
        library = Library.open(tmp.resolve("here"));
        before = LibrarySnapshot.of(library);
    }

    @AfterEach
    void close() {
        library.close();
    }

    /** The hashes a bulk request asked for. */
    static List<String> asked(byte[] body) {
        return new String(body, StandardCharsets.US_ASCII).lines().filter(l -> !l.isEmpty()).toList();
    }

    /** A bulk answer framed by hand: each chunk as {@code frame} gives it (null: "not stored"). */
    static FakePeer.Answer framed(List<String> hashes, Function<String, byte[]> frame) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String h : hashes) {
                byte[] data = frame.apply(h);
                out.writeInt(data == null ? -1 : data.length);
                if (data != null) {
                    out.write(data);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return FakePeer.Answer.ok(bytes.toByteArray());
    }

    static byte[] real(String hash) {
        return peerTree.chunk(hash).orElseThrow();
    }

    /** The peer's real tree, with bulk requests answered by {@code bulk}. */
    static FakePeer peer(Function<List<String>, FakePeer.Answer> bulk, Function<String, FakePeer.Answer> change)
            throws IOException {
        BiFunction<String, byte[], FakePeer.Answer> answers = (path, body) -> {
            if (path.equals(BULK)) {
                return bulk.apply(asked(body));
            }
            FakePeer.Answer changed = change.apply(path);
            return changed != null ? changed : FakePeer.real(peerTree, path);
        };
        return new FakePeer(answers);
    }

    SyncStatus sync(FakePeer peer) {
        return new PackPuller(library, new PeerClient(peer.base())).sync(List.of(), false,
                new SyncProgress(peer.base().toString(), false, ProgressListener.NONE));
    }

    static int chunks() {
        int n = 0;
        for (String pack : List.of("garden", "media")) {
            for (var r : peerTree.recipes(peerLibrary.catalog().pack(pack).orElseThrow())) {
                n += r.chunks().size();
            }
        }
        return n;
    }

    int chunkGets(FakePeer peer) {
        int n = 0;
        for (String pack : List.of("garden", "media")) {
            for (var r : peerTree.recipes(peerLibrary.catalog().pack(pack).orElseThrow())) {
                for (var c : r.chunks()) {
                    n += peer.requests(CHUNKS + c.hash());
                }
            }
        }
        return n;
    }

    void pulledWhole() throws IOException {
        for (String pack : List.of("garden", "media")) {
            assertThat(SyncFixtures.contentHashes(library, pack)).isEqualTo(SyncFixtures.contentHashes(peerLibrary, pack));
            assertThat(library.catalog().items(pack)).isEqualTo(peerLibrary.catalog().items(pack));
        }
        assertThat(library.search().search("beans", null, 10, 0).total()).isPositive();
        assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
    }

    @Test
    void aPeerTakingBulkRequestsGetsFewRequestsAndNoSingleChunkOne() throws IOException {
        try (FakePeer peer = peer(hashes -> framed(hashes, BulkChunksTest::real), p -> null)) {
            SyncStatus status = sync(peer);
            assertThat(status.ok()).as(status.summary()).isTrue();
            pulledWhole();
            assertThat(peer.requests(BULK)).isPositive().isLessThan(chunks() / 2);
            assertThat(chunkGets(peer)).isZero();
        }
    }

    @Test
    void aDamagedOrMissingChunkInABulkAnswerIsFetchedOnItsOwnAndOnlyVerifiedBytesAreKept() throws IOException {
        String damaged = firstChunk("media");
        String missing = firstChunk("garden");
        try (FakePeer peer = peer(hashes -> framed(hashes, h -> h.equals(missing) ? null
                : h.equals(damaged) ? flip(real(h)) : real(h)), p -> null)) {
            SyncStatus status = sync(peer);
            assertThat(status.ok()).as(status.summary()).isTrue();
            pulledWhole();
            assertThat(peer.requests(CHUNKS + damaged)).isEqualTo(1);
            assertThat(peer.requests(CHUNKS + missing)).isEqualTo(1);
            assertThat(chunkGets(peer)).isEqualTo(2);
        }
    }

    @Test
    void aLengthTheManifestDoesNotListStopsTheReadingAndTheRestIsFetchedOnItsOwn() throws IOException {
        String liar = firstChunk("media");
        try (FakePeer peer = peer(hashes -> {
            if (!hashes.contains(liar)) {
                return framed(hashes, BulkChunksTest::real);
            }
            // The lying frame claims 2 GB; nothing after it may be read or kept.
            FakePeer.Answer a = framed(hashes, h -> h.equals(liar) ? new byte[0] : real(h));
            byte[] body = a.body();
            int at = offsetOf(hashes, liar);
            java.nio.ByteBuffer.wrap(body, at, 4).putInt(Integer.MAX_VALUE);
            return FakePeer.Answer.ok(body);
        }, p -> null)) {
            SyncStatus status = sync(peer);
            assertThat(status.ok()).as(status.summary()).isTrue();
            pulledWhole();
            assertThat(peer.requests(CHUNKS + liar)).isEqualTo(1);
        }
    }

    @Test
    void aPeerThatRefusesBulkRequestsIsAskedChunkByChunkFromThenOn() throws IOException {
        try (FakePeer peer = peer(hashes -> FakePeer.Answer.status(405, "no"), p -> null)) {
            SyncStatus status = sync(peer);
            assertThat(status.ok()).as(status.summary()).isTrue();
            pulledWhole();
            assertThat(peer.requests(BULK)).isEqualTo(1);
            assertThat(chunkGets(peer)).isPositive();
        }
    }

    @Test
    void aChunkDamagedInTheBulkAnswerAndOnItsOwnIsNeverKeptAndThePackIsNotPublished() throws IOException {
        String damaged = firstChunk("media");
        try (FakePeer peer = peer(hashes -> framed(hashes, h -> h.equals(damaged) ? flip(real(h)) : real(h)),
                p -> p.equals(CHUNKS + damaged) ? FakePeer.Answer.ok(flip(real(damaged))) : null)) {
            SyncStatus status = sync(peer);
            assertThat(status.packs()).filteredOn(p -> p.id().equals("media")).singleElement().satisfies(p -> {
                assertThat(p.state()).isEqualTo(SyncStatus.State.FAILED);
                assertThat(p.message()).contains(damaged).contains("damaged chunk twice");
            });
            assertThat(library.catalog().pack("media")).isEmpty();
            assertThat(library.chunks().missing(List.of(damaged))).containsExactly(damaged);
        }
    }

    @Test
    void answersThatArriveOutOfOrderAreStillCheckedFileByFileAndThePackIsWhole() throws IOException {
        String first = firstMultiChunkFile("media").chunks().get(0).hash();
        List<String> answered = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (FakePeer peer = peer(hashes -> {
            if (hashes.contains(first)) {
                pause(500); // the answers asked for after this one overtake it
            }
            answered.add(hashes.get(0));
            return framed(hashes, BulkChunksTest::real);
        }, p -> null)) {
            SyncStatus status = sync(peer);
            assertThat(status.ok()).as(status.summary()).isTrue();
            pulledWhole();
            assertThat(answered).as("some answer came before the delayed one").isNotEmpty()
                    .first().isNotEqualTo(first);
            assertThat(chunkGets(peer)).isZero();
        }
    }

    @Test
    void aFilePartlyStoredByAnEarlierSyncIsCheckedFromTheLibraryAndItsStoredChunkNotFetchedAgain()
            throws IOException {
        var file = firstMultiChunkFile("media");
        var stored = file.chunks().get(0);
        library.chunks().putChunks(List.of(stored), List.of(real(stored.hash())));
        List<String> asked = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (FakePeer peer = peer(hashes -> {
            asked.addAll(hashes);
            return framed(hashes, BulkChunksTest::real);
        }, p -> null)) {
            SyncStatus status = sync(peer);
            assertThat(status.ok()).as(status.summary()).isTrue();
            pulledWhole();
            assertThat(asked).doesNotContain(stored.hash()).contains(file.chunks().get(1).hash());
            assertThat(peer.requests(CHUNKS + stored.hash())).isZero();
        }
    }

    private static org.offlinecommons.store.FileRecipe firstMultiChunkFile(String pack) {
        return peerTree.recipes(peerLibrary.catalog().pack(pack).orElseThrow()).stream()
                .filter(r -> r.chunks().size() > 1).findFirst().orElseThrow();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int offsetOf(List<String> hashes, String hash) {
        int at = 0;
        for (String h : hashes) {
            if (h.equals(hash)) {
                return at;
            }
            at += 4 + real(h).length;
        }
        throw new IllegalArgumentException(hash);
    }

    private static String firstChunk(String pack) {
        return peerTree.recipes(peerLibrary.catalog().pack(pack).orElseThrow()).stream()
                .filter(r -> !r.chunks().isEmpty()).reduce((a, b) -> b).orElseThrow().chunks().get(0).hash();
    }

    private static byte[] flip(byte[] data) {
        byte[] copy = data.clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
    }
}
