package org.offlinecommons.web.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.offlinecommons.job.Job;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.sync.PeerPulls;
import org.offlinecommons.sync.PeerUrl;
import org.offlinecommons.sync.SyncStatus;
import org.offlinecommons.sync.SyncTree;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.http.JsonBody;

/**
 * Pull jobs under {@code /api/v1/sync}, and pull requests from peers (only when the admin allows
 * them); the tree peers pull from is {@link SyncTreeRoutes}. The pulls themselves are
 * {@link PeerPulls}', the same the Peers page starts.
 */
public final class SyncRoutes {

    private final PeerPulls pulls;

    public SyncRoutes(PeerPulls pulls) {
        this.pulls = pulls;
    }

    public void register(JavalinConfig config) {
        config.routes.post("/api/v1/sync", this::startSync);
        config.routes.get("/api/v1/sync/jobs/{id}", this::syncJob);
        config.routes.post("/" + SyncTree.ROOT + "/pull-request", this::pullRequest);
        config.routes.get("/" + SyncTree.ROOT + "/pull-requests/{id}", this::pullRequestStatus);
    }

    private void startSync(Context ctx) {
        JsonNode body = JsonBody.object(ctx);
        URI peer = peer(body.path("peer").asText(null));
        String token = JsonBody.text(body, "token", 1024, "the peer's sync token");
        boolean dryRun = JsonBody.flag(body, "dryRun");
        boolean both = JsonBody.flag(body, "both");
        Job job = pulls.start(new PeerPulls.Pull(peer, token == null ? null : token.strip(),
                JsonBody.packIds(body.get("packs")), dryRun, (dryRun ? "Dry run of a sync from " : "Sync from ") + peer,
                (dryRun ? "Looking at " : "Pulling from ") + peer, both ? ctx.req().getLocalPort() : 0));
        ctx.status(202).json(Map.of("job", job.id(), "status", "/api/v1/sync/jobs/" + job.id()));
    }

    private record SyncJobView(JobStatus job, SyncStatus sync) {
    }

    private void syncJob(Context ctx) {
        String id = ctx.pathParam("id");
        JobStatus job = pulls.job(id).orElseThrow(() -> HttpProblem.notFound("problem.noJob", id));
        ctx.json(new SyncJobView(job, pulls.progress(id).orElse(null)));
    }

    private void pullRequest(Context ctx) {
        JsonNode body = JsonBody.object(ctx);
        Job job = pulls.startRequested(body.path("url").asText(""), remoteAddress(ctx),
                JsonBody.packIds(body.get("packs")), JsonBody.text(body, "token", 1024, "the token to pull with"));
        ctx.status(202).json(Map.of("job", job.id(), "status", "/" + SyncTree.ROOT + "/pull-requests/" + job.id()));
    }

    private void pullRequestStatus(Context ctx) {
        String id = ctx.pathParam("id");
        JobStatus s = pulls.requested(id)
                .orElseThrow(() -> HttpProblem.notFound("problem.noPullRequest", id));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("state", s.state().name());
        view.put("doneBytes", s.doneBytes());
        view.put("totalBytes", s.totalBytes());
        view.put("message", s.message());
        view.put("error", s.error());
        ctx.json(view);
    }

    private static URI peer(String text) {
        if (text == null) {
            throw HttpProblem.badRequest("problem.sync.noPeer");
        }
        return PeerUrl.parse(text);
    }

    private static InetAddress remoteAddress(Context ctx) {
        try {
            return InetAddress.getByName(ctx.req().getRemoteAddr()); // a literal address: no lookup
        } catch (UnknownHostException e) {
            throw HttpProblem.badRequest("problem.sync.noOrigin");
        }
    }
}
