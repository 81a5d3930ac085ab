package org.offlinecommons.drive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

/** --auto-import: packs go in once their files are complete, and only then, and only once. */
class AutoImporterTest {

    /** Short so the tests are quick; the pauses while copying stay well inside it. */
    static final Duration SETTLE = Duration.ofMillis(1500);
    static final Duration POLL = Duration.ofMillis(100);

    @TempDir
    Path tmp;
    Path media;
    Library library;
    JobRunner jobs;
    Drives drives;
    AutoImporter watcher;
    final List<String> started = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        media = Files.createDirectories(tmp.resolve("media"));
        library = Library.open(tmp.resolve("data"));
        jobs = new JobRunner();
        drives = new Drives(library, DriveSettings.of(tmp.resolve("data")).withMountRoots(List.of(media))
                .withSettle(SETTLE));
        watcher = AutoImporter.start(drives, new DriveImports(drives, jobs), POLL, new AutoImporter.Listener() {
            @Override
            public void started(FoundPack pack, DriveImports.Started s) {
                started.add(pack.fileName());
            }

            @Override
            public void refused(FoundPack pack, String why) {
                refused.add(why);
            }
        });
    }

    @AfterEach
    void stop() {
        watcher.close();
        jobs.close();
        library.close();
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
                Thread.sleep(SETTLE.toMillis() / 6);
                assertThat(library.catalog().packs()).as("imported while still being copied").isEmpty();
            }
        }
        DriveFixtures.await(Duration.ofSeconds(20), () -> library.catalog().pack("garden").isPresent(),
                "the pack is imported");
        // A few more looks at the finished file must not import it again.
        Thread.sleep(SETTLE.toMillis() + 5 * POLL.toMillis());
        assertThat(started).containsExactly("garden.zip");
        assertThat(refused).as("a half-written file was read").isEmpty();
        List<JobStatus> imports = jobs.recent();
        assertThat(imports).singleElement().satisfies(j -> {
            assertThat(j.kind()).isEqualTo("import");
            assertThat(j.state()).isEqualTo(JobState.SUCCEEDED);
        });
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

        DriveFixtures.await(Duration.ofSeconds(20), () -> library.catalog().pack("garden").isPresent()
                && library.catalog().pack("river").map(p -> p.version() == 2).orElse(false)
                && jobs.recent().stream().allMatch(j -> j.state().finished()), "both packs are imported");
        // Handled files are not acted on again: a few more looks change nothing.
        Thread.sleep(5 * POLL.toMillis());
        List<String> names = new java.util.ArrayList<>(started);
        Collections.sort(names);
        assertThat(names).containsExactly("garden.zip", "river.zip");
        assertThat(refused).containsExactly("photos.zip: is not a readable zip file: it is not a zip at all");
        assertThat(jobs.recent()).hasSize(2).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
    }
}
