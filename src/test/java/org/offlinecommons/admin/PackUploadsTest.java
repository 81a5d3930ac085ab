package org.offlinecommons.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.Jobs;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.pack.PackLimits;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

class PackUploadsTest {

    @TempDir
    Path tmp;

    @Test
    void anUploadIsRefusedTheMomentItPassesTheLimitAndLeavesNothing() throws Exception {
        try (Library library = Library.open(tmp.resolve("data")); JobRunner jobs = new JobRunner()) {
            PackUploads uploads = new PackUploads(library, jobs, PackLimits.DEFAULT, 0, 1000);
            assertThatThrownBy(() -> uploads.checkDeclaredSize(1001)).isInstanceOf(UploadTooLargeException.class)
                    .hasMessageContaining("1.0 KB");
            try (UploadFile file = uploads.create("big.zip")) {
                file.writeAll(new ByteArrayInputStream(new byte[1000]));
                assertThat(file.size()).isEqualTo(1000);
                assertThatThrownBy(() -> file.writeAll(new ByteArrayInputStream(new byte[1])))
                        .isInstanceOf(UploadTooLargeException.class);
            }
            assertThat(files(uploads.folder())).isEmpty();
        }
    }

    @Test
    void aReceivedPackIsImportedAsAJobAndItsFileDeletedAfterwards() throws Exception {
        Path zip = PackFixtures.build(PackFixtures.smallSite(tmp.resolve("site")), "garden", "Garden",
                tmp.resolve("garden.zip"));
        try (Library library = Library.open(tmp.resolve("data")); JobRunner jobs = new JobRunner()) {
            PackUploads uploads = new PackUploads(library, jobs, PackLimits.DEFAULT, 0, 1 << 30);
            PackUploads.Started started;
            try (UploadFile file = uploads.create("../../Garden pack.zip");
                 var in = Files.newInputStream(zip)) {
                assertThat(file.name()).isEqualTo("Garden_pack.zip");
                file.writeAll(in);
                started = uploads.startImport(file);
            }
            assertThat(started.packId()).isEqualTo("garden");
            JobStatus done = await(jobs, started.job().id());
            assertThat(done.state()).as(done.error()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.message()).contains("Installed 'Garden'");
            assertThat(library.catalog().pack("garden")).isPresent();
            assertThat(files(uploads.folder())).isEmpty();

            // The same pack again: the job says nothing changed, and still cleans up.
            try (UploadFile file = uploads.create("again.zip"); var in = Files.newInputStream(zip)) {
                file.writeAll(in);
                started = uploads.startImport(file);
            }
            assertThat(await(jobs, started.job().id()).message()).contains("already installed");
            assertThat(files(uploads.folder())).isEmpty();
        }
    }

    @Test
    void somethingThatIsNotAPackIsRefusedBeforeAnyJobStarts() throws Exception {
        try (Library library = Library.open(tmp.resolve("data")); JobRunner jobs = new JobRunner()) {
            PackUploads uploads = new PackUploads(library, jobs, PackLimits.DEFAULT, 0, 1 << 20);
            UploadFile file = uploads.create("essay.zip");
            file.writeAll(new ByteArrayInputStream("not a zip".getBytes()));
            assertThatThrownBy(() -> uploads.startImport(file)).isInstanceOf(PackException.class)
                    .hasMessageContaining("essay.zip");
            file.close();
            assertThat(jobs.recent()).isEmpty();
            assertThat(files(uploads.folder())).isEmpty();
            assertThat(library.catalog().packs()).isEmpty();
        }
    }

    @Test
    void namesFromBrowsersAreMadeSafe() {
        assertThat(PackUploads.safeName("C:\\Users\\ana\\Downloads\\maths.zip")).isEqualTo("maths.zip");
        assertThat(PackUploads.safeName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(PackUploads.safeName("..")).isEqualTo("upload.zip");
        assertThat(PackUploads.safeName(".hidden.zip")).isEqualTo("hidden.zip");
        assertThat(PackUploads.safeName("ça va\n.zip")).isEqualTo("ça_va_.zip");
        assertThat(PackUploads.safeName(null)).isEqualTo("upload.zip");
        assertThat(PackUploads.safeName("x".repeat(500))).hasSize(100);
    }

    @Test
    void describedOutcomesAreOnePlainSentence() throws Exception {
        Path zip = PackFixtures.build(PackFixtures.smallSite(tmp.resolve("site")), "garden", "Garden",
                tmp.resolve("garden.zip"));
        try (Library library = Library.open(tmp.resolve("data"))) {
            assertThat(PackUploads.describe(new PackImporter(library).importPack(zip, ProgressListener.NONE)))
                    .isEqualTo("Installed 'Garden' (garden version 1)");
        }
    }

    static JobStatus await(JobRunner jobs, String id) throws InterruptedException {
        return Jobs.await(jobs, id);
    }

    static java.util.List<Path> files(Path folder) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return java.util.List.of();
        }
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(p -> !p.equals(folder)).toList();
        }
    }
}
