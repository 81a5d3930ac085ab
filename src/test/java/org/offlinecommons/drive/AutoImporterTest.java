package org.offlinecommons.drive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.admin.TestClock;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.job.Jobs;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

/**
 * --auto-import: packs go in once their files are complete, and only then, and only once. Time
 * is moved by hand and the watcher looks when told, so "nothing happened" is proven by looks
 * that were made, not by sleeping and hoping.
 */
class AutoImporterTest {

    static final Duration SETTLE = Duration.ofSeconds(10);

    @TempDir
    Path tmp;
    Path media;
    Library library;
    JobRunner jobs;
    /** The drives' clock and the watcher's, moved together by the test. */
    final TestClock clock = new TestClock(Instant.now());
    AutoImporter watcher;
    final List<String> started = new CopyOnWriteArrayList<>();
    final List<String> jobIds = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        media = Files.createDirectories(tmp.resolve("media"));
        library = Library.open(tmp.resolve("data"));
        jobs = new JobRunner();
        Drives drives = new Drives(library, DriveSettings.of(tmp.resolve("data")).withMountRoots(List.of(media))
                .withSettle(SETTLE), Disks.SYSTEM, clock);
        watcher = AutoImporter.manual(drives, new DriveImports(drives, jobs), new AutoImporter.Listener() {
            @Override
            public void started(FoundPack pack, DriveImports.Started s) {
                started.add(pack.fileName());
                jobIds.add(s.job().id());
            }

            @Override
            public void refused(FoundPack pack, String why) {
                refused.add(why);
            }
        }, clock::nanos);
    }

    @AfterEach
    void stop() {
        watcher.close();
        jobs.close();
        library.close();
    }

    /** Looks, then lets {@code d} pass. */
    void lookAndWait(Duration d) {
        watcher.poll();
        clock.advance(d);
    }

    void awaitStartedJobs() throws InterruptedException {
        for (String id : jobIds) {
            Jobs.await(jobs, id);
        }
    }

    @Test
    void aPackCopiedSlowlyIntoTheInboxIsImportedOnceAfterItIsComplete() throws Exception {
        byte[] zip = Files.readAllBytes(DriveFixtures.pack(tmp, "garden", 1, tmp.resolve("garden.zip")));
        Path target = Files.createDirectories(tmp.resolve("data/inbox")).resolve("garden.zip");
        int pieces = 10;
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            for (int i = 0; i < pieces; i++) {
                int from = zip.length * i / pieces;
                int to = zip.length * (i + 1) / pieces;
                out.write(zip, from, to - from);
                out.flush();
                // Pauses while copying, each shorter than the settle time, looked at twice.
                lookAndWait(SETTLE.dividedBy(3));
                lookAndWait(SETTLE.dividedBy(3));
                assertThat(started).as("imported while still being copied").isEmpty();
            }
        }
        lookAndWait(SETTLE.dividedBy(2));
        lookAndWait(SETTLE.dividedBy(2));
        assertThat(started).as("complete, and unchanged for the settle time").containsExactly("garden.zip");
        awaitStartedJobs();
        // More looks at the finished file, long after, do not import it again.
        for (int i = 0; i < 5; i++) {
            lookAndWait(SETTLE);
        }
        assertThat(started).containsExactly("garden.zip");
        assertThat(refused).as("a half-written file was read").isEmpty();
        List<JobStatus> imports = jobs.recent();
        assertThat(imports).singleElement().satisfies(j -> {
            assertThat(j.kind()).isEqualTo("import");
            assertThat(j.state()).isEqualTo(JobState.SUCCEEDED);
        });
        assertThat(library.catalog().pack("garden")).isPresent();
        assertThat(Files.readAllBytes(target)).isEqualTo(zip);
    }

    @Test
    void aStickIsImportedAsItAppearsAndItsBadPacksAreReportedOnce() throws Exception {
        Path installed = DriveFixtures.pack(tmp, "river", 1, tmp.resolve("river-1.zip"));
        new PackImporter(library).importPack(installed, ProgressListener.NONE);
        Path stick = tmp.resolve("stick");
        DriveFixtures.pack(tmp, "garden", 1, stick.resolve("garden.zip"));
        DriveFixtures.pack(tmp, "river", 2, stick.resolve("packs/river.zip"));
        Files.copy(installed, stick.resolve("river-old.zip"));
        DriveFixtures.notAZip(stick.resolve("photos.zip"));
        Files.move(stick, media.resolve("STICK"));

        lookAndWait(SETTLE.plusSeconds(1));
        lookAndWait(Duration.ofSeconds(1));
        awaitStartedJobs();
        // Handled files are not acted on again: more looks change nothing.
        for (int i = 0; i < 5; i++) {
            lookAndWait(SETTLE);
        }
        List<String> names = new ArrayList<>(started);
        Collections.sort(names);
        assertThat(names).containsExactly("garden.zip", "river.zip");
        assertThat(refused).containsExactly("photos.zip: is not a readable zip file: it is not a zip at all");
        assertThat(jobs.recent()).hasSize(2).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
        assertThat(library.catalog().pack("river").orElseThrow().version()).isEqualTo(2);
    }
}
