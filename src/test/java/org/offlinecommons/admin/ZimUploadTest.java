package org.offlinecommons.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackLimits;
import org.offlinecommons.pack.ZimTestFiles;
import org.offlinecommons.store.Library;

/** The admin uploads a ZIM file: it is imported as a job like a pack zip; a damaged one is refused at once. */
class ZimUploadTest {

    @TempDir
    Path tmp;

    @Test
    void anUploadedZimIsImportedAndADamagedOneRefused() throws Exception {
        try (Library library = Library.open(tmp.resolve("data")); JobRunner jobs = new JobRunner()) {
            PackUploads uploads = new PackUploads(library, jobs, PackLimits.DEFAULT, 0, 1 << 30);
            PackUploads.Started started;
            try (UploadFile file = uploads.create("wikibooks_be_all_nopic_2017-02.zim");
                 var in = Files.newInputStream(ZimTestFiles.SAMPLES.resolve("withns/wikibooks_be_all_nopic_2017-02.zim"))) {
                file.writeAll(in);
                started = uploads.startImport(file);
            }
            assertThat(started.packId()).isEqualTo("kiwix-wikibooks-be-all");
            JobStatus done = PackUploadsTest.await(jobs, started.job().id());
            assertThat(done.state()).as(done.error()).isEqualTo(JobState.SUCCEEDED);
            assertThat(library.catalog().pack("kiwix-wikibooks-be-all")).isPresent();
            assertThat(PackUploadsTest.files(uploads.folder())).isEmpty();

            try (UploadFile file = uploads.create("broken.zim");
                 var in = Files.newInputStream(ZimTestFiles.SAMPLES.resolve("nons/invalid.invalid_mimelistpos.zim"))) {
                file.writeAll(in);
                assertThatThrownBy(() -> uploads.startImport(file)).isInstanceOf(PackException.class)
                        .hasMessageStartingWith("broken.zim: ");
            }
            assertThat(PackUploadsTest.files(uploads.folder())).isEmpty();
            assertThat(library.catalog().packs()).hasSize(1);
        }
    }
}
