package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.admin.AdminPassword;
import org.offlinecommons.admin.Audit;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.AuditLog;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.web.AdminFixtures.Form;

/** Adding packs by upload and removing them, through the API and the admin's forms. */
class AdminUploadTest {

    static final long SMALL_LIMIT = 200_000;

    @TempDir
    static Path tmp;
    static Library library;
    static JobRunner jobs;
    static WebServer server;
    /** The same library behind a small upload limit. */
    static WebServer small;
    static Http admin;
    static Http smallAdmin;
    static Path uploads;

    @BeforeAll
    static void start() throws Exception {
        library = Library.open(tmp.resolve("data"));
        uploads = library.dataDir().resolve("uploads");
        new AdminPassword(library).set(AdminFixtures.PASSWORD.toCharArray());
        jobs = new JobRunner();
        WebServer.Options options = new WebServer.Options("127.0.0.1", 0);
        server = WebServer.start(library, jobs, options);
        small = WebServer.start(library, jobs, options.withMaxUpload(SMALL_LIMIT));
        admin = new Http(server).loggedIn();
        smallAdmin = new Http(small).loggedIn();
    }

    @AfterAll
    static void stop() {
        small.close();
        server.close();
        jobs.close();
        library.close();
    }

    static JobStatus jobOf(HttpResponse<String> started) throws Exception {
        JsonNode body = Http.json(started);
        return AdminFixtures.awaitJob(jobs, body.path("job").path("id").asText());
    }

    @Test
    void aRawUploadIsImportedAsAJobAndItsFileRemoved() throws Exception {
        Path zip = AdminFixtures.pack(tmp, "raw", "Raw upload", "index.html", "<title>Raw</title>", "a.md", "# A\n");
        HttpResponse<String> r = admin.send(admin.admin("/api/v1/packs?name=raw.zip")
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofFile(zip)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(Http.json(r).path("pack").asText()).isEqualTo("raw");
        JobStatus job = jobOf(r);
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.title()).contains("raw.zip");
        assertThat(library.catalog().pack("raw")).get().extracting(p -> p.title()).isEqualTo("Raw upload");
        assertThat(AdminFixtures.filesIn(uploads)).isEmpty();
        List<AuditLog.Entry> audit = new Audit(library).recent(20);
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("upload pack");
            assertThat(e.detail()).contains("raw.zip", "Raw upload");
            assertThat(e.address()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void theUploadFormWorksWithoutScriptAndSendsTheAdminToTheJobs() throws Exception {
        Path zip = AdminFixtures.pack(tmp, "form", "Form upload", "index.html", "<title>Form</title>");
        Form form = new Form().field("csrf", admin.csrf).file("pack", "form pack.zip", Files.readAllBytes(zip));
        HttpResponse<String> r = admin.send(admin.request("/admin/packs").header("Cookie", admin.cookie)
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/admin/jobs");
        JobStatus job = jobs.recent().stream().filter(j -> j.title().contains("form_pack.zip")).findFirst()
                .orElseThrow();
        assertThat(AdminFixtures.awaitJob(jobs, job.id()).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(library.catalog().pack("form")).isPresent();
        assertThat(AdminFixtures.filesIn(uploads)).isEmpty();

        String page = admin.send(admin.admin("/admin/jobs")).body();
        assertThat(page).contains("form_pack.zip", "Done", "Installed");
        String dashboard = admin.send(admin.admin("/admin")).body();
        assertThat(dashboard).contains("Form upload", "/admin/packs/form/delete", "upload pack",
                "enctype=\"multipart/form-data\"");
        // The token comes before the file in the form, as the upload requires.
        assertThat(dashboard.indexOf("name=\"csrf\"")).isLessThan(dashboard.indexOf("name=\"pack\""));
    }

    @Test
    void aMultipartUploadWithTheTokenInTheHeaderNeedsNoField() throws Exception {
        Path zip = AdminFixtures.pack(tmp, "header", "Header token", "index.html", "<title>H</title>");
        Form form = new Form().file("pack", "header.zip", Files.readAllBytes(zip));
        HttpResponse<String> r = admin.send(admin.admin("/api/v1/packs").header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(jobOf(r).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aFileThatIsNotAPackIsRefusedAtOnceNamingTheFile() throws Exception {
        byte[] junk = "this is not a zip file at all".repeat(100).getBytes();
        HttpResponse<String> r = admin.send(admin.admin("/api/v1/packs?name=homework.zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(junk)));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Http.json(r).path("message").asText()).contains("homework.zip");
        assertThat(AdminFixtures.filesIn(uploads)).isEmpty();

        Form form = new Form().field("csrf", admin.csrf).file("pack", "homework.zip", junk);
        HttpResponse<String> page = admin.send(admin.request("/admin/packs").header("Cookie", admin.cookie)
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())));
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("class=\"alert\"", "homework.zip", "Add a pack");
        assertThat(AdminFixtures.filesIn(uploads)).isEmpty();
    }

    @Test
    void aDeclaredTooLargeUploadIsAnsweredReadablyWhetherTheClientAskedFirstOrSentAtOnce() throws Exception {
        Http client = new Http(small).loggedIn();
        long fiveGigabytes = 5_000_000_000L;
        // Asked first: the 413 instead of "100 Continue", and not a byte of the body sent.
        assertThat(client.rawUpload("/api/v1/packs?name=huge.zip", fiveGigabytes, true, 0))
                .startsWith("HTTP/1.1 413").doesNotContain("100 Continue").contains("too_large");
        // Sent at once: what is on the way when the answer goes out is read and dropped, so the
        // connection ends in an orderly close (a reset would fail readAllBytes) after the 413.
        assertThat(client.rawUpload("/api/v1/packs?name=huge.zip", fiveGigabytes, false, 4 << 20))
                .startsWith("HTTP/1.1 413").contains("too_large");
        assertThat(AdminFixtures.filesIn(uploads)).isEmpty();
    }

    @Test
    void anUploadOverTheLimitIsRefusedByItsDeclaredSizeAndWhileCounting() throws Exception {
        byte[] big = new byte[(int) SMALL_LIMIT * 3];
        HttpResponse<String> declared = smallAdmin.send(smallAdmin.admin("/api/v1/packs?name=big.zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(Http.json(declared).path("error").asText()).isEqualTo("too_large");

        // No Content-Length (chunked): refused while the bytes are counted.
        HttpResponse<String> counted = smallAdmin.send(smallAdmin.admin("/api/v1/packs?name=big.zip")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
        assertThat(counted.statusCode()).isEqualTo(413);

        Form form = new Form().field("csrf", smallAdmin.csrf).file("pack", "big.zip", big);
        HttpResponse<String> page = smallAdmin.send(smallAdmin.request("/admin/packs")
                .header("Cookie", smallAdmin.cookie).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(form.bytes()))));
        assertThat(page.statusCode()).isEqualTo(413);
        assertThat(page.body()).contains("class=\"alert\"", "USB drive");
        assertThat(AdminFixtures.filesIn(uploads)).isEmpty();
    }

    @Test
    void deletingNamesThePackFirstAndIsRecorded() throws Exception {
        new PackImporter(library).importPack(AdminFixtures.pack(tmp, "old", "Old notes", "index.html",
                "<title>Old</title>", "b.md", "# B\n"), ProgressListener.NONE);
        String confirm = admin.send(admin.admin("/admin/packs/old/delete")).body();
        assertThat(confirm).contains("Delete \u201cOld notes\u201d?", "old", "2 items", "action=\"/admin/packs/old/delete\"",
                "name=\"csrf\" value=\"" + admin.csrf + "\"");
        assertThat(library.catalog().pack("old")).isPresent();

        HttpResponse<String> r = admin.send(admin.admin("/api/v1/packs/old").DELETE());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Http.json(r).path("deleted").asText()).isEqualTo("old");
        assertThat(library.catalog().pack("old")).isEmpty();
        assertThat(admin.send(admin.admin("/api/v1/packs/old").DELETE()).statusCode()).isEqualTo(404);
        assertThat(new Audit(library).recent(5)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("delete pack");
            assertThat(e.detail()).contains("Old notes", "old version 1");
        });
        assertThat(admin.send(admin.admin("/admin?deleted=Old%20notes")).body())
                .contains("\u201cOld notes\u201d was deleted.");
    }

    @Test
    void theJobsPageShowsProgressAndReloadsItselfOnlyWhileJobsRun() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        org.offlinecommons.job.Job job = jobs.submit("import", "Import slow.zip", j -> {
            j.update(1_200_000_000L, 3_400_000_000L);
            j.message("Copying the video course");
            release.await();
            return "Installed 'Slow'";
        });
        org.offlinecommons.job.Jobs.awaitRunning(jobs, job.id());
        HttpResponse<String> running = admin.send(admin.admin("/admin/jobs"));
        assertThat(running.headers().firstValue("Refresh")).hasValue("2");
        assertThat(running.body()).contains("Import slow.zip", "Running", "1.2 GB of 3.4 GB", "<progress max=\"100\" value=\"35\"",
                "Copying the video course");
        release.countDown();
        AdminFixtures.awaitJob(jobs, job.id());
        HttpResponse<String> done = admin.send(admin.admin("/admin/jobs"));
        assertThat(done.headers().firstValue("Refresh")).isEmpty();
        assertThat(done.body()).contains("Installed 'Slow'", "Done");
    }

    @Test
    void leftoversOfAnInterruptedUploadAreClearedOnStart() throws Exception {
        Path stale = uploads.resolve("upload-123/half.zip");
        Files.createDirectories(stale.getParent());
        Files.write(stale, new byte[1000]);
        try (WebServer again = WebServer.start(library, jobs, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
            assertThat(AdminFixtures.filesIn(uploads)).isEmpty();
            assertThat(again.port()).isPositive();
        }
    }

    @Test
    void anUploadReadsItsBodyAsAStreamNotAllAtOnce() throws Exception {
        // A body that never ends would hang a server that reads it whole; this one stops at the limit.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        };
        HttpResponse<String> r = smallAdmin.send(smallAdmin.admin("/api/v1/packs?name=endless.zip")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless)));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(AdminFixtures.filesIn(uploads)).isEmpty();
    }
}
