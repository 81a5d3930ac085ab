package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.LibrarySnapshot;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;

/**
 * Pulling from a mirror folder served by a plain static file server: what crosses the wire,
 * resuming, versions, and what the library shows. (Two real servers: SyncIT.)
 */
class PackPullerTest {

    static final long MEDIA_FILE = 1_500_000;

    @TempDir
    Path tmp;
    Library peerLibrary;
    Library library;
    Path mirror;
    Path media;

    @BeforeEach
    void libraries() throws IOException {
        peerLibrary = Library.open(tmp.resolve("peer"));
        library = Library.open(tmp.resolve("here"));
        SyncFixtures.importFolder(peerLibrary, SyncFixtures.garden(tmp.resolve("garden")), "garden", "Garden", 1, tmp);
        media = tmp.resolve("media");
        for (int i = 0; i < 4; i++) {
            PackFixtures.writeRandom(media, "clips/clip-" + i + ".mp4", MEDIA_FILE, i);
        }
        PackFixtures.write(media, "index.html", "<title>Media shelf</title><p>Four clips about rivers.</p>");
        SyncFixtures.importFolder(peerLibrary, media, "media", "Media", 1, tmp);
        mirror = tmp.resolve("mirror");
        new MirrorWriter(peerLibrary).write(mirror, List.of(), ProgressListener.NONE);
    }

    @AfterEach
    void close() {
        library.close();
        peerLibrary.close();
    }

    /** A static file server over the mirror folder, as nginx would be, counting chunk bytes served. */
    FakePeer mirrorServer(AtomicLong chunkBytes) throws IOException {
        return new FakePeer(path -> {
            Path file = mirror.resolve(path.substring(1));
            if (!file.normalize().startsWith(mirror) || !Files.isRegularFile(file)) {
                return null;
            }
            try {
                byte[] body = Files.readAllBytes(file);
                if (path.contains("/chunks/")) {
                    chunkBytes.addAndGet(body.length);
                }
                return FakePeer.Answer.ok(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    SyncStatus sync(FakePeer peer, List<String> packs, boolean dryRun) {
        return new PackPuller(library, new PeerClient(peer.base())).sync(packs, dryRun,
                new SyncProgress(peer.base().toString(), dryRun, ProgressListener.NONE));
    }

    @Test
    void pullsEveryPackWhole_thenHasNothingToDo() throws IOException {
        AtomicLong served = new AtomicLong();
        try (FakePeer peer = mirrorServer(served)) {
            SyncStatus status = sync(peer, List.of(), false);
            assertThat(status.ok()).as(status.summary()).isTrue();
            assertThat(status.count(SyncStatus.State.ADDED)).isEqualTo(2);
            assertThat(SyncFixtures.contentHashes(library, "media")).isEqualTo(SyncFixtures.contentHashes(peerLibrary,
                    "media")).isEqualTo(SyncFixtures.folderHashes(media));
            assertThat(SyncFixtures.contentHashes(library, "garden"))
                    .isEqualTo(SyncFixtures.contentHashes(peerLibrary, "garden"));
            PackRecord here = library.catalog().pack("garden").orElseThrow();
            PackRecord there = peerLibrary.catalog().pack("garden").orElseThrow();
            assertThat(here.digest()).isEqualTo(there.digest());
            assertThat(library.catalog().manifest("garden", here.digest()))
                    .isEqualTo(peerLibrary.catalog().manifest("garden", there.digest()));
            assertThat(library.catalog().items("garden")).isEqualTo(peerLibrary.catalog().items("garden"));
            assertThat(library.search().search("beans", null, 10, 0).hits())
                    .extracting(h -> h.item().title()).contains("Growing beans");
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
            assertThat(status.transferredBytes()).isGreaterThanOrEqualTo(served.get());

            long servedFirst = served.get();
            SyncStatus again = sync(peer, List.of(), false);
            assertThat(again.packs()).allSatisfy(p -> assertThat(p.state()).isEqualTo(SyncStatus.State.UNCHANGED));
            assertThat(served.get()).as("no chunk is fetched twice").isEqualTo(servedFirst);
        }
    }

    @Test
    void aNewVersionTransfersOnlyTheFileThatChanged() throws IOException {
        AtomicLong served = new AtomicLong();
        try (FakePeer peer = mirrorServer(served)) {
            assertThat(sync(peer, List.of("media"), false).ok()).isTrue();
            PackFixtures.writeRandom(media, "clips/clip-2.mp4", MEDIA_FILE, 99);
            SyncFixtures.importFolder(peerLibrary, media, "media", "Media", 2, tmp);
            MirrorWriter.Result r = new MirrorWriter(peerLibrary).write(mirror, List.of(), ProgressListener.NONE);
            assertThat(r.bytesWritten()).isEqualTo(MEDIA_FILE);
            assertThat(r.filesRemoved()).as("v1's manifest and its changed file's chunks").isGreaterThan(1);
            served.set(0);

            SyncStatus status = sync(peer, List.of("media"), false);
            assertThat(status.ok()).as(status.summary()).isTrue();
            assertThat(status.packs()).singleElement().satisfies(p -> {
                assertThat(p.state()).isEqualTo(SyncStatus.State.UPDATED);
                assertThat(p.versionHere()).isEqualTo(1L);
                assertThat(p.bytesFetched()).isEqualTo(MEDIA_FILE);
            });
            assertThat(served.get()).isEqualTo(MEDIA_FILE);
            assertThat(status.reusedBytes()).isEqualTo(library.catalog().pack("media").orElseThrow().totalSize()
                    - MEDIA_FILE);
            assertThat(library.catalog().pack("media").orElseThrow().version()).isEqualTo(2);
            assertThat(SyncFixtures.contentHashes(library, "media")).isEqualTo(SyncFixtures.folderHashes(media));
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
        }
    }

    @Test
    void aDryRunShowsWhatIsMissingAndChangesNothing() throws IOException {
        String before = LibrarySnapshot.of(library);
        AtomicLong served = new AtomicLong();
        try (FakePeer peer = mirrorServer(served)) {
            SyncStatus status = sync(peer, List.of(), true);
            assertThat(status.packs()).extracting(SyncStatus.PackStatus::id, SyncStatus.PackStatus::action)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("garden", SyncStatus.Action.ADD),
                            org.assertj.core.groups.Tuple.tuple("media", SyncStatus.Action.ADD));
            assertThat(status.packs()).filteredOn(p -> p.id().equals("media")).singleElement()
                    .satisfies(p -> assertThat(p.bytesToFetch()).isGreaterThan(4 * MEDIA_FILE));
            assertThat(status.summary()).contains("Dry run").contains("2 packs to add");
            assertThat(served.get()).isZero();
        }
        assertThat(LibraryVerifier.class).isNotNull();
        assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
        assertThat(library.chunks().storedBytes()).isZero();
    }

    @Test
    void anInterruptedSyncShowsNothing_keepsItsChunksThroughASweep_andResumes() throws IOException {
        AtomicInteger chunksServed = new AtomicInteger();
        AtomicLong served = new AtomicLong();
        try (FakePeer dying = new FakePeer(path -> {
            if (path.contains("/chunks/") && chunksServed.incrementAndGet() > 3) {
                return FakePeer.Answer.status(503, "going down");
            }
            return FakePeer.real(new LibraryTree(peerLibrary), path);
        })) {
            SyncStatus status = sync(dying, List.of("media"), false);
            assertThat(status.ok()).isFalse();
            assertThat(status.phase()).isEqualTo(SyncStatus.Phase.FAILED);
            assertThat(status.packs()).singleElement().satisfies(p -> {
                assertThat(p.state()).isEqualTo(SyncStatus.State.FAILED);
                assertThat(p.message()).contains("503").contains("going down");
            });
        }
        assertThat(library.catalog().packs()).isEmpty();
        long kept = library.chunks().storedBytes();
        assertThat(library.chunks().allChunkHashes()).as("the three chunks served were kept").hasSize(3);
        assertThat(library.chunks().sweep(ChunkStore.DEFAULT_GRACE)).as("within the grace period").isZero();
        assertThat(library.chunks().storedBytes()).isEqualTo(kept);

        try (FakePeer peer = mirrorServer(served)) {
            SyncStatus status = sync(peer, List.of("media"), false);
            assertThat(status.ok()).as(status.summary()).isTrue();
            long size = library.catalog().pack("media").orElseThrow().totalSize();
            assertThat(served.get()).isEqualTo(size - kept);
        }
        assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
    }

    @Test
    void orphansOfAnAbandonedSyncAreSweptAfterTheGracePeriod() throws IOException {
        AtomicInteger chunksServed = new AtomicInteger();
        try (FakePeer dying = new FakePeer(path -> path.contains("/chunks/") && chunksServed.incrementAndGet() > 2
                ? FakePeer.Answer.status(503, "down") : FakePeer.real(new LibraryTree(peerLibrary), path))) {
            assertThat(sync(dying, List.of("media"), false).ok()).isFalse();
        }
        assertThat(library.chunks().storedBytes()).isPositive();
        assertThat(library.chunks().sweep(Duration.ZERO)).isEqualTo(2);
        assertThat(library.chunks().storedBytes()).isZero();
    }

    @Test
    void aChunkDamagedOnceIsFetchedAgainAndThePackPublished() throws IOException {
        LibraryTree tree = new LibraryTree(peerLibrary);
        AtomicInteger damaged = new AtomicInteger();
        try (FakePeer flaky = new FakePeer(path -> {
            FakePeer.Answer real = FakePeer.real(tree, path);
            if (path.contains("/chunks/") && real != null && damaged.getAndIncrement() == 0) {
                byte[] bad = real.body().clone();
                bad[0] ^= 0x40;
                return FakePeer.Answer.ok(bad);
            }
            return real;
        })) {
            SyncStatus status = sync(flaky, List.of("media"), false);
            assertThat(status.ok()).as(status.summary()).isTrue();
            assertThat(SyncFixtures.contentHashes(library, "media")).isEqualTo(SyncFixtures.folderHashes(media));
        }
    }

    @Test
    void anOlderOrConflictingVersionThereIsNeverPulled() throws IOException {
        Path mine = tmp.resolve("mine");
        PackFixtures.write(mine, "index.html", "<title>My garden</title><p>different words</p>");
        SyncFixtures.importFolder(library, mine, "garden", "My garden", 1, tmp);
        SyncFixtures.importFolder(library, media, "media", "Media", 7, tmp);
        String before = LibrarySnapshot.of(library);
        try (FakePeer peer = mirrorServer(new AtomicLong())) {
            SyncStatus status = sync(peer, List.of(), false);
            assertThat(status.packs()).filteredOn(p -> p.id().equals("garden")).singleElement().satisfies(p -> {
                assertThat(p.action()).isEqualTo(SyncStatus.Action.CONFLICT);
                assertThat(p.state()).isEqualTo(SyncStatus.State.SKIPPED);
                assertThat(p.message()).contains("differ in content");
            });
            assertThat(status.packs()).filteredOn(p -> p.id().equals("media")).singleElement().satisfies(p -> {
                assertThat(p.action()).isEqualTo(SyncStatus.Action.NEWER_HERE);
                assertThat(p.state()).isEqualTo(SyncStatus.State.SKIPPED);
            });
        }
        assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
    }
}
