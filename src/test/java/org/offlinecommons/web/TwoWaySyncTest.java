package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.job.Jobs;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.sync.PeerPulls;
import org.offlinecommons.sync.PullRequests;

/**
 * A sync both ways from a server that shares only with its sync token: the pull request hands
 * the peer a one-time grant, with which it reads our tree (and nothing else), so the pull back
 * works without the peer ever knowing our token.
 */
class TwoWaySyncTest {

    static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @RegisterExtension
    static final TestServer here = TestServer.secure().options(o -> o.withSyncToken(TOKEN)).with((library, dir) ->
            new PackImporter(library).importPack(AdminFixtures.pack(dir, "rivers", "Rivers", "index.html",
                    "<title>Rivers</title>"), ProgressListener.NONE));

    @RegisterExtension
    static final TestServer peer = TestServer.open().with((library, dir) -> {
        PullRequests.accept(library, true);
        new PackImporter(library).importPack(AdminFixtures.pack(dir, "stars", "Stars", "index.html",
                "<title>Stars</title>"), ProgressListener.NONE);
    });

    @Test
    void thePeerAskedToPullBackReadsOurTokenProtectedTreeWithTheGrantItWasHanded() throws Exception {
        assertThat(peer.http().get("/sync/v1/catalog.json").statusCode()).isEqualTo(200);
        assertThat(here.http().get("/sync/v1/catalog.json").statusCode()).as("our tree needs a token").isEqualTo(401);

        Http admin = here.admin();
        HttpResponse<String> started = admin.json("POST", "/api/v1/sync",
                "{\"peer\": \"" + peer.url() + "\", \"both\": true}");
        assertThat(started.statusCode()).isEqualTo(202);
        JobStatus ours = Jobs.await(here.jobs(), Http.json(started).path("job").asText());
        assertThat(ours.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(ours.message()).contains("Added 1 pack").contains("The peer accepted to pull from this server");
        assertThat(here.library().catalog().pack("stars")).isPresent();

        JobStatus requested = peer.jobs().recent().stream().filter(s -> s.kind().equals(PeerPulls.REQUESTED))
                .findFirst().orElseThrow();
        JobStatus back = Jobs.await(peer.jobs(), requested.id());
        assertThat(back.state()).as(back.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(back.message()).contains("Added 1 pack");
        assertThat(peer.library().catalog().pack("rivers")).isPresent();
    }

    @Test
    void aGrantOpensTheTreeOnlyAndNoTokenStillFails() throws Exception {
        String grant = here.server().services().grants().issue();
        Http reader = here.http();
        assertThat(reader.get("/sync/v1/catalog.json", "Authorization", "Bearer " + grant).statusCode())
                .isEqualTo(200);
        assertThat(reader.get("/sync/v1/catalog.json", "Authorization", "Bearer " + TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(reader.get("/sync/v1/catalog.json", "Authorization", "Bearer " + grant + "0").statusCode())
                .isEqualTo(401);
        // Not a pull request: a grant lets its bearer read, never make this server fetch anything.
        HttpResponse<String> asked = reader.send(reader.request("/sync/v1/pull-request")
                .header("Authorization", "Bearer " + grant).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"url\": \"" + peer.url() + "\"}")));
        assertThat(asked.statusCode()).isEqualTo(401);
        assertThat(reader.get("/sync/v1/pull-requests/nope", "Authorization", "Bearer " + grant).statusCode())
                .isEqualTo(401);
    }
}
