package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.drive.DriveSettings;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.Jobs;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.pack.PackLimits;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.sync.LibraryTree;

/**
 * A pull from a peer is one use case whichever page starts it: one started from the Peers page
 * is followed through the same jobs API as one started by {@code POST /api/v1/sync}, and every
 * pull keeps the admin's {@code --reserve}, refusing as an import does.
 */
class PeerPullJobsTest {

    /** Far above any test machine's free space: 1000 TB. */
    static final long HUGE_RESERVE = 1_000_000_000_000_000L;

    @RegisterExtension
    static final TestServer peer = TestServer.open().with((library, dir) -> {
        PackImporter importer = new PackImporter(library);
        importer.importPack(AdminFixtures.pack(dir, "rivers", "Rivers", "index.html", "<title>Rivers</title>",
                "notes/a.md", "# Deltas\n"), ProgressListener.NONE);
        importer.importPack(AdminFixtures.pack(dir, "stars", "Stars", "index.html", "<title>Stars</title>"),
                ProgressListener.NONE);
    });

    @RegisterExtension
    static final TestServer here = TestServer.secure();

    @RegisterExtension
    static final TestServer cramped = TestServer.secure().drives(library -> new Drives(library,
            DriveSettings.of(library.dataDir()).withReserve(HUGE_RESERVE)));

    @Test
    void aPullStartedFromThePeersPageIsFollowedThroughTheJobsApis() throws Exception {
        Http admin = here.admin();
        String key = Http.json(admin.json("POST", "/api/v1/peers", "{\"address\":\"" + peer.url() + "\"}"))
                .path("peer").path("key").asText();

        HttpResponse<String> form = admin.form("/admin/peers/" + key + "/sync", "csrf", admin.csrf, "pack", "rivers");
        assertThat(form.statusCode()).isEqualTo(303);
        String location = form.headers().firstValue("Location").orElseThrow();
        String job = location.substring("/admin/peers?job=".length(), location.indexOf('#'));
        assertThat(Jobs.await(here.jobs(), job).state()).isEqualTo(JobState.SUCCEEDED);

        JsonNode sync = Http.json(admin.get("/api/v1/sync/jobs/" + job));
        assertThat(sync.path("job").path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(sync.path("sync").path("peer").asText()).isEqualTo(peer.url());
        assertThat(sync.path("sync").path("packs")).extracting(p -> p.path("id").asText() + " " + p.path("state")
                .asText()).containsExactly("rivers ADDED");
        assertThat(sync.path("sync").path("fetchedBytes").asLong()).isPositive();
        JsonNode generic = Http.json(admin.get("/api/v1/jobs/" + job));
        assertThat(generic.path("kind").asText()).isEqualTo("sync");
        assertThat(generic.path("state").asText()).isEqualTo("SUCCEEDED");

        // The API's own pull: the same job kind, the same views.
        HttpResponse<String> started = admin.json("POST", "/api/v1/sync",
                "{\"peer\": \"" + peer.url() + "\", \"packs\": [\"stars\"]}");
        assertThat(started.statusCode()).isEqualTo(202);
        String apiJob = Http.json(started).path("job").asText();
        assertThat(Jobs.await(here.jobs(), apiJob).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(Http.json(admin.get("/api/v1/sync/jobs/" + apiJob)).path("sync").path("packs").get(0)
                .path("state").asText()).isEqualTo("ADDED");
        assertThat(here.library().catalog().pack("stars")).isPresent();
        // The page shows the API's pull too: one registry of jobs.
        assertThat(admin.get("/admin/peers?job=" + apiJob).body()).contains("<progress");
    }

    @Test
    void withTheReserveAboveTheFreeSpaceASyncIsRefusedBeforeAnyChunkCrossesWithTheMessageOfAnImport()
            throws Exception {
        Http admin = cramped.admin();
        HttpResponse<String> started = admin.json("POST", "/api/v1/sync",
                "{\"peer\": \"" + peer.url() + "\", \"packs\": [\"rivers\"]}");
        assertThat(started.statusCode()).isEqualTo(202);
        String job = Http.json(started).path("job").asText();
        assertThat(Jobs.await(cramped.jobs(), job).state()).isEqualTo(JobState.FAILED);
        JsonNode sync = Http.json(admin.get("/api/v1/sync/jobs/" + job)).path("sync");
        String refusal = sync.path("packs").get(0).path("message").asText();
        assertThat(sync.path("fetchedBytes").asLong()).isZero();
        assertThat(cramped.library().catalog().pack("rivers")).isEmpty();
        List<String> chunks = new LibraryTree(peer.library()).recipes(peer.library().catalog().pack("rivers")
                .orElseThrow()).stream().flatMap(r -> r.chunks().stream()).map(c -> c.hash()).distinct().toList();
        assertThat(cramped.library().chunks().missing(chunks)).as("no chunk stored").hasSameSizeAs(chunks);

        Path zip = AdminFixtures.pack(cramped.dir(), "rivers", "Rivers", "index.html", "<title>Rivers</title>",
                "notes/a.md", "# Deltas\n");
        assertThatThrownBy(() -> new PackImporter(cramped.library(), PackLimits.DEFAULT, HUGE_RESERVE)
                .importPack(zip, ProgressListener.NONE))
                .isInstanceOf(PackException.class)
                .satisfies(e -> {
                    String imported = e.getMessage();
                    assertThat(imported).startsWith("rivers.zip: needs ");
                    assertThat(refusal).startsWith(peer.url() + ": pack 'rivers' version 1: needs ");
                    assertThat(refusal.substring(refusal.indexOf(": needs ")))
                            .isEqualTo(imported.substring(imported.indexOf(": needs ")))
                            .contains("plus a reserve of 1000 TB), but only", "free some space or delete packs");
                });
    }
}
