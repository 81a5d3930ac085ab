package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.job.JobState;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ProgressListener;

/**
 * The peers API and page on two real servers in this JVM (discovery itself is DiscoveryIT's):
 * only the admin reads and changes it, a peer added by address shows what it has that we
 * lack, and "sync from" pulls a pack across as a job.
 */
class PeersApiIT {

    static final String SECRET = "river-delta-7f3a9c";

    /** Only read from: one for the class. */
    @RegisterExtension
    static final TestServer peer = TestServer.open().with((library, dir) -> {
        PackImporter theirs = new PackImporter(library);
        theirs.importPack(AdminFixtures.pack(dir, "rivers", "Rivers", "index.html", "<title>Rivers</title>",
                "notes/a.md", "# Deltas\n"), ProgressListener.NONE);
        theirs.importPack(AdminFixtures.pack(dir, "stars", "Stars", "index.html", "<title>Stars</title>"),
                ProgressListener.NONE);
    });

    /** A peer that shares only with servers that know its sync token; only read from. */
    @RegisterExtension
    static final TestServer guarded = TestServer.open().options(o -> o.withSyncToken(SECRET))
            .with((library, dir) -> new PackImporter(library).importPack(AdminFixtures.pack(dir, "maps", "Maps",
                    "index.html", "<title>Maps</title>"), ProgressListener.NONE));

    /** Ours, changed by every test (peers added, packs pulled): a fresh one for each. */
    @RegisterExtension
    final TestServer server = TestServer.secure().with((library, dir) -> new PackImporter(library).importPack(
            AdminFixtures.pack(dir, "ours", "Ours only", "index.html", "<title>Ours</title>"), ProgressListener.NONE));

    static HttpRequest.Builder json(HttpRequest.Builder b, String method, String body) {
        return b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void onlyTheAdminSeesThePeersAndPeopleAreSentToTheLogin() throws Exception {
        Http anonymous = server.http();
        HttpResponse<String> api = anonymous.get("/api/v1/peers");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(Http.json(api).path("error").asText()).isEqualTo("login_required");
        HttpResponse<String> page = anonymous.send(anonymous.request("/admin/peers").header("Accept", "text/html"));
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(anonymous.send(json(anonymous.request("/api/v1/peers"), "POST", "{\"address\":\"x:1\"}"))
                .statusCode()).isEqualTo(401);
        Http admin = server.admin();
        assertThat(admin.send(json(admin.request("/api/v1/peers").header("Cookie", admin.cookie), "POST",
                "{\"address\":\"x:1\"}")).statusCode()).as("no token").isEqualTo(403);
        assertThat(admin.send(admin.admin("/api/v1/peers").GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void aPeerAddedByAddressShowsWhatEachSideLacksAndSyncFromPullsAPackAsAJob() throws Exception {
        Http admin = server.admin();
        HttpResponse<String> bad = admin.send(json(admin.admin("/api/v1/peers"), "POST", "{\"address\":\"ftp://x\"}"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad).path("message").asText()).contains("http://");

        HttpResponse<String> added = admin.send(json(admin.admin("/api/v1/peers"), "POST",
                "{\"address\":\"127.0.0.1:" + peer.port() + "\"}"));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        JsonNode p = Http.json(added).path("peer");
        assertThat(p.path("url").asText()).isEqualTo("http://127.0.0.1:" + peer.port());
        assertThat(p.path("sources").toString()).isEqualTo("[\"manual\"]");
        assertThat(p.path("reachable").asBoolean()).isTrue();
        assertThat(p.path("lastSeen").asText()).isNotEmpty();
        assertThat(p.path("theyHave").path("packs")).extracting(n -> n.path("id").asText())
                .containsExactly("rivers", "stars");
        long riversSize = peer.library().catalog().pack("rivers").orElseThrow().totalSize();
        assertThat(p.path("theyHave").path("packs").get(0).path("size").asLong()).isEqualTo(riversSize);
        assertThat(p.path("weHave").path("packs")).extracting(n -> n.path("id").asText()).containsExactly("ours");
        assertThat(p.path("weHave").path("bytes").asLong())
                .isEqualTo(server.library().catalog().pack("ours").orElseThrow().totalSize());
        String key = p.path("key").asText();

        JsonNode list = Http.json(admin.send(admin.admin("/api/v1/peers")));
        assertThat(list.path("peers")).hasSize(1);
        assertThat(list.path("discovery").path("enabled").asBoolean()).isFalse();

        // The page: the peer, the pack, a "Sync from" form with the token.
        String html = admin.send(admin.admin("/admin/peers")).body();
        assertThat(html).contains("Rivers", "Stars", "127.0.0.1:" + peer.port(), "Sync from them",
                "action=\"/admin/peers/" + key + "/sync\"", "name=\"csrf\" value=\"" + admin.csrf + "\"");

        HttpResponse<String> started = admin.send(json(admin.admin("/api/v1/peers/" + key + "/sync"), "POST",
                "{\"packs\":[\"rivers\"]}"));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String job = Http.json(started).path("job").path("id").asText();
        assertThat(AdminFixtures.awaitJob(server.jobs(), job).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(server.library().catalog().pack("rivers").orElseThrow().digest())
                .isEqualTo(peer.library().catalog().pack("rivers").orElseThrow().digest());
        assertThat(server.library().catalog().pack("stars")).isEmpty();
        JsonNode jobJson = Http.json(admin.send(admin.admin("/api/v1/jobs/" + job)));
        assertThat(jobJson.toString()).contains("SUCCEEDED");

        JsonNode after = Http.json(admin.send(admin.admin("/api/v1/peers"))).path("peers").get(0);
        assertThat(after.path("theyHave").path("packs")).extracting(n -> n.path("id").asText())
                .containsExactly("stars");

        // The form way: the progress of the job on the page, without JavaScript.
        HttpResponse<String> form = admin.send(admin.request("/admin/peers/" + key + "/sync")
                .header("Cookie", admin.cookie).header("Origin", server.url())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + admin.csrf)));
        assertThat(form.statusCode()).isEqualTo(303);
        String location = form.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/admin/peers?job=");
        String formJob = location.substring("/admin/peers?job=".length(), location.indexOf('#'));
        AdminFixtures.awaitJob(server.jobs(), formJob);
        String progress = admin.send(admin.admin(location.substring(0, location.indexOf('#')))).body();
        assertThat(progress).contains("<progress", "Done");
        assertThat(server.library().catalog().pack("stars")).isPresent();

        HttpResponse<String> removed = admin.send(admin.admin("/api/v1/peers/" + key).DELETE());
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(admin.send(admin.admin("/api/v1/peers/" + key).DELETE()).statusCode()).isEqualTo(404);
        assertThat(Http.json(admin.send(admin.admin("/api/v1/peers"))).path("peers")).isEmpty();
    }

    @Test
    void withNoPeerThePageSaysWhyAndHowToAddOne() throws Exception {
        Http admin = server.admin();
        String html = admin.send(admin.admin("/admin/peers")).body();
        assertThat(html).contains("No other server found yet", "switched off", "Add this server",
                "name=\"address\"");
        assertThat(admin.send(admin.admin("/admin")).body()).contains("href=\"/admin/peers\"");
        HttpResponse<String> unreachable = admin.send(json(admin.admin("/api/v1/peers"), "POST",
                "{\"address\":\"127.0.0.1:1\"}"));
        JsonNode p = Http.json(unreachable).path("peer");
        assertThat(p.path("reachable").asBoolean()).isFalse();
        assertThat(p.path("problem").asText()).contains("cannot connect");
        assertThat(admin.send(admin.admin("/api/v1/peers/" + p.path("key").asText()).DELETE()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aPeerThatSharesOnlyWithItsSyncTokenGetsItFromThePageAndIsSyncedFrom() throws Exception {
        Http admin = server.admin();
        JsonNode p = Http.json(admin.send(json(admin.admin("/api/v1/peers"), "POST",
                "{\"address\":\"127.0.0.1:" + guarded.port() + "\"}"))).path("peer");
        String key = p.path("key").asText();
        assertThat(p.path("reachable").asBoolean()).isFalse();
        assertThat(p.path("refused").asBoolean()).isTrue();
        assertThat(p.path("problem").asText()).contains("sync token");
        String page = admin.send(admin.admin("/admin/peers")).body();
        assertThat(page).as("the form is open, saying what to type").contains(
                "<details class=\"peer-token\" open>",
                "shares only with servers that know its sync token",
                "action=\"/admin/peers/" + key + "/token\"");

        HttpResponse<String> spaced = admin.send(json(admin.admin("/api/v1/peers/" + key + "/token"),
                "PUT", "{\"token\":\"two words\"}"));
        assertThat(spaced.statusCode()).isEqualTo(400);
        assertThat(Http.json(spaced).path("message").asText()).contains("without spaces");
        HttpResponse<String> wrong = admin.send(json(admin.admin("/api/v1/peers/" + key + "/token"),
                "PUT", "{\"token\":\"not-the-token\"}"));
        assertThat(wrong.statusCode()).isEqualTo(200);
        JsonNode stillRefused = Http.json(admin.send(admin.admin("/api/v1/peers"))).path("peers").get(0);
        assertThat(stillRefused.path("refused").asBoolean()).as("a wrong token").isTrue();

        HttpResponse<String> saved = admin.send(admin.request("/admin/peers/" + key + "/token")
                .header("Cookie", admin.cookie).header("Origin", server.url())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + admin.csrf + "&token=" + SECRET)));
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(saved.headers().firstValue("Location")).hasValue("/admin/peers?token=saved");
        JsonNode accepted = Http.json(admin.send(admin.admin("/api/v1/peers"))).path("peers").get(0);
        assertThat(accepted.path("reachable").asBoolean()).as(accepted.toString()).isTrue();
        assertThat(accepted.path("theyHave").path("packs")).extracting(n -> n.path("id").asText())
                .contains("maps");
        String after = admin.send(admin.admin("/admin/peers?token=saved")).body();
        assertThat(after).contains("The sync token was saved", "Sync token (saved)")
                .as("a saved token is never shown again").doesNotContain(SECRET);

        HttpResponse<String> started = admin.send(json(admin.admin("/api/v1/peers/" + key + "/sync"),
                "POST", "{\"packs\":[\"maps\"]}"));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String job = Http.json(started).path("job").path("id").asText();
        assertThat(AdminFixtures.awaitJob(server.jobs(), job).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(server.library().catalog().pack("maps")).isPresent();
        assertThat(admin.send(admin.admin("/api/v1/peers/" + key).DELETE()).statusCode()).isEqualTo(200);
        assertThat(server.library().setting("discovery.peer-tokens").orElse("")).as("forgotten with the peer")
                .doesNotContain(SECRET);
    }
}
