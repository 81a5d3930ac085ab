package org.offlinecommons.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.discovery.PeerCatalogs;
import org.offlinecommons.discovery.PeerDirectory;
import org.offlinecommons.discovery.PeerSurvey;
import org.offlinecommons.discovery.PeerTokens;
import java.util.List;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.DamagedChunkException;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryScrub;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.sync.MirrorWriter;
import org.offlinecommons.web.WebServer;

/**
 * Self-healing on real library files: a read that meets damage, or a scrub pass that finds it,
 * makes the library fetch the chunk again from a known peer (a real second server) by itself.
 */
class LibraryHealingTest {

    @TempDir
    Path tmp;

    @Test
    void aReadThatMeetsDamageHealsTheLibraryFromAKnownPeer() throws Exception {
        DamagedLibraries.Damage damage = DamagedLibraries.make(tmp, tmp.resolve("a"), tmp.resolve("b"));
        try (Library a = Library.open(tmp.resolve("a")); Library b = Library.open(tmp.resolve("b"));
             JobRunner jobsA = new JobRunner(); JobRunner jobsB = new JobRunner();
             WebServer serverB = WebServer.start(b, jobsB, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
            PeerSurvey peers = survey(a);
            peers.directory().addManual("http://127.0.0.1:" + serverB.port());
            try (LibraryHealing healing = new LibraryHealing(a, jobsA, peers, new LibraryScrub(a), null,
                    Duration.ofMillis(200))) {
                assertThatThrownBy(() -> a.chunks().readChunk(damage.chunk()))
                        .isInstanceOf(DamagedChunkException.class);
                assertThatThrownBy(() -> a.chunks().readChunk(damage.chunk()))
                        .isInstanceOf(DamagedChunkException.class);
                assertThat(a.chunks().damaged()).extracting(ChunkStore.DamagedChunk::where)
                        .containsExactly(damage.where());

                JobStatus repair = awaitRepair(jobsA);
                assertThat(repair.state()).as(repair.error()).isEqualTo(JobState.SUCCEEDED);
                assertThat(repair.message()).contains("Repaired 1 of 1");
                // Two damaged reads, one repair.
                assertThat(jobsA.recent()).filteredOn(j -> j.kind().equals(LibraryHealing.KIND)).hasSize(1);
                assertThat(a.chunks().damaged()).isEmpty();
                assertThat(a.chunks().readChunk(damage.chunk())).isPresent();
                assertThat(new LibraryVerifier(a).verify(ProgressListener.NONE).ok()).isTrue();
            }
        }
    }

    @Test
    void aScrubPassThatFindsDamageHealsTheLibraryFromAKnownPeer() throws Exception {
        DamagedLibraries.Damage damage = DamagedLibraries.make(tmp, tmp.resolve("a"), tmp.resolve("b"));
        try (Library a = Library.open(tmp.resolve("a")); Library b = Library.open(tmp.resolve("b"));
             JobRunner jobsA = new JobRunner(); JobRunner jobsB = new JobRunner();
             WebServer serverB = WebServer.start(b, jobsB, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
            PeerSurvey peers = survey(a);
            peers.directory().addManual("http://127.0.0.1:" + serverB.port());
            LibraryScrub scrub = new LibraryScrub(a);
            try (LibraryHealing healing = new LibraryHealing(a, jobsA, peers, scrub, null, Duration.ofMillis(200));
                 AutoCloseable running = scrub.startBackground(Duration.ZERO, Duration.ofHours(1), 0)) {
                JobStatus repair = awaitRepair(jobsA);
                assertThat(repair.state()).as(repair.error()).isEqualTo(JobState.SUCCEEDED);
                assertThat(scrub.status().lastFinishedAt()).isPositive();
                assertThat(scrub.status().lastDamaged()).isEqualTo(1);
                assertThat(scrub.status().totalBytes()).isPositive();
                assertThat(a.chunks().damaged()).isEmpty();
                assertThat(a.chunks().readChunk(damage.chunk())).isPresent();
                assertThat(new LibraryVerifier(a).verify(ProgressListener.NONE).ok()).isTrue();
            }
        }
    }

    @Test
    void withoutAPeerTheRepairFailsSayingWhatToDo_andTheDamageStaysRecorded() throws Exception {
        DamagedLibraries.Damage damage = DamagedLibraries.make(tmp, tmp.resolve("a"), tmp.resolve("b"));
        try (Library a = Library.open(tmp.resolve("a")); JobRunner jobs = new JobRunner()) {
            PeerSurvey peers = survey(a);
            try (LibraryHealing healing = new LibraryHealing(a, jobs, peers, new LibraryScrub(a), Drives.defaults(a),
                    Duration.ofMillis(50))) {
                assertThatThrownBy(() -> a.chunks().readChunk(damage.chunk()))
                        .isInstanceOf(DamagedChunkException.class);
                Thread.sleep(500);
                // Self-healing waits for a peer; the admin's button says why it cannot.
                assertThat(jobs.recent()).isEmpty();
                JobStatus repair = jobs.await(healing.repair().id(), Duration.ofSeconds(30)).orElseThrow();
                assertThat(repair.state()).isEqualTo(JobState.FAILED);
                assertThat(repair.error()).contains("no known peer nor mirror").contains("repair --from");
                assertThat(a.chunks().damaged()).hasSize(1);
            }
        }
    }

    @Test
    void aMirrorTreeOnADriveHealsTheLibraryWithoutAnyPeer() throws Exception {
        DamagedLibraries.Damage damage = DamagedLibraries.make(tmp, tmp.resolve("a"), tmp.resolve("b"));
        try (Library a = Library.open(tmp.resolve("a")); JobRunner jobs = new JobRunner()) {
            // A stick with B's mirror tree, in A's inbox (a drive like any other).
            try (Library b = Library.open(tmp.resolve("b"))) {
                new MirrorWriter(b).write(tmp.resolve("a").resolve("inbox").resolve("stick-mirror"), List.of(),
                        ProgressListener.NONE);
            }
            try (LibraryHealing healing = new LibraryHealing(a, jobs, survey(a), new LibraryScrub(a), Drives.defaults(a),
                    Duration.ofMillis(100))) {
                assertThatThrownBy(() -> a.chunks().readChunk(damage.chunk()))
                        .isInstanceOf(DamagedChunkException.class);
                JobStatus repair = awaitRepair(jobs);
                assertThat(repair.state()).as(repair.error()).isEqualTo(JobState.SUCCEEDED);
                assertThat(a.chunks().damaged()).isEmpty();
                assertThat(new LibraryVerifier(a).verify(ProgressListener.NONE).ok()).isTrue();
            }
        }
    }

    private static PeerSurvey survey(Library library) {
        PeerTokens tokens = new PeerTokens(library);
        return new PeerSurvey(library, new PeerDirectory(library, Clock.systemUTC()),
                new PeerCatalogs(Clock.systemUTC(), tokens), tokens);
    }

    private static JobStatus awaitRepair(JobRunner jobs) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            for (JobStatus j : jobs.recent()) {
                if (j.kind().equals(LibraryHealing.KIND) && j.state().finished()) {
                    return j;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no repair finished within 60 s: " + jobs.recent());
    }
}
