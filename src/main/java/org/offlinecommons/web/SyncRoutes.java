package org.offlinecommons.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.offlinecommons.job.Job;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.sync.LibraryTree;
import org.offlinecommons.sync.PackPuller;
import org.offlinecommons.sync.PeerClient;
import org.offlinecommons.sync.PeerUrl;
import org.offlinecommons.sync.PullRequests;
import org.offlinecommons.sync.SyncException;
import org.offlinecommons.sync.SyncProgress;
import org.offlinecommons.sync.SyncStatus;
import org.offlinecommons.sync.SyncTree;

/**
 * Peer-to-peer sync over HTTP (docs/sync-protocol.md): the read-only tree under
 * {@code /sync/v1/} that peers pull from, pull jobs under {@code /api/v1/sync}, and pull
 * requests from peers (only when the admin allows them).
 */
final class SyncRoutes {

    private static final int KEEP_JOBS = 200;
    private static final int WRITE_SLICE = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Library library;
    private final JobRunner jobs;
    private final LibraryTree tree;
    /** The live state of recent sync jobs, by job id. */
    private final Map<String, SyncProgress> syncs = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SyncProgress> eldest) {
            return size() > KEEP_JOBS;
        }
    };
    /** Jobs started by a peer's pull request: the only ones the peer may watch. */
    private final Set<String> requested = ConcurrentHashMap.newKeySet();

    SyncRoutes(Library library, JobRunner jobs) {
        this.library = library;
        this.jobs = jobs;
        this.tree = new LibraryTree(library);
        tree.identity(); // created on first start, so it is stable before any peer asks
    }

    void register(JavalinConfig config) {
        registerTree(config);
        config.routes.post("/api/v1/sync", this::startSync);
        config.routes.get("/api/v1/sync/jobs/{id}", this::syncJob);
        config.routes.post("/" + SyncTree.ROOT + "/pull-request", this::pullRequest);
        config.routes.get("/" + SyncTree.ROOT + "/pull-requests/{id}", this::pullRequestStatus);
    }

    /** Only the read-only tree: what a temporary server for a two-way CLI sync exposes. */
    void registerTree(JavalinConfig config) {
        Handler catalog = ctx -> {
            byte[] body = tree.catalog();
            ctx.header("Cache-Control", "no-cache");
            ctx.header("ETag", "\"" + Hashes.sha256Hex(body) + "\"");
            ctx.contentType("application/json").result(body);
        };
        Handler manifest = ctx -> {
            String id = ctx.pathParam("id");
            long version = version(ctx.pathParam("version"));
            if (!SyncTree.isPackId(id) || version < 1) {
                throw HttpProblem.notFound("There is no pack '" + id + "' version " + ctx.pathParam("version"));
            }
            var pack = library.catalog().pack(id).filter(p -> p.version() == version)
                    .orElseThrow(() -> HttpProblem.notFound("This server has no pack '" + id + "' version " + version));
            ctx.header("Cache-Control", "no-cache");
            ctx.header("ETag", "\"" + pack.digest() + "\"");
            ctx.contentType("application/json").result(tree.manifest(pack));
        };
        Handler chunk = ctx -> {
            String hash = ctx.pathParam("hash");
            if (!Hashes.isSha256Hex(hash)) {
                throw HttpProblem.badRequest("'" + hash + "' is not a chunk name (64 lowercase hexadecimal digits)");
            }
            byte[] data = tree.chunk(hash).orElseThrow(() -> HttpProblem.notFound("This server has no chunk " + hash));
            ctx.disableCompression();
            // Content-addressed: the bytes under this name can never change.
            ctx.header("Cache-Control", "public, max-age=31536000, immutable");
            ctx.header("ETag", "\"" + hash + "\"");
            // Set by hand so that HEAD tells the size too, and GET is not sent chunked.
            ctx.header("Content-Length", Integer.toString(data.length));
            ctx.contentType("application/octet-stream").result(data);
        };
        Handler piece = ctx -> {
            String hash = ctx.pathParam("hash");
            if (!Hashes.isSha256Hex(hash)) {
                throw HttpProblem.badRequest("'" + hash + "' is not a piece name (64 lowercase hexadecimal digits)");
            }
            byte[] data = tree.piece(hash).orElseThrow(() -> HttpProblem.notFound("This server has no piece " + hash));
            ctx.header("Cache-Control", "public, max-age=31536000, immutable");
            ctx.header("ETag", "\"" + hash + "\"");
            ctx.contentType("text/plain; charset=utf-8").result(data);
        };
        config.routes.post("/" + SyncTree.BULK_CHUNKS, this::bulkChunks);
        String root = "/" + SyncTree.ROOT;
        for (var route : List.of(Map.entry(root + "/catalog.json", catalog),
                Map.entry(root + "/packs/{id}/{version}/manifest.json", manifest),
                Map.entry(root + "/chunks/{hash}", chunk),
                Map.entry(root + "/pieces/{hash}", piece))) {
            config.routes.get(route.getKey(), route.getValue());
            config.routes.head(route.getKey(), route.getValue());
        }
    }

    /**
     * Many chunks in one answer (docs/sync-protocol.md §5.1): each as a 4-byte length and its
     * bytes, streamed one chunk at a time so that memory holds one chunk whatever is asked.
     */
    private void bulkChunks(Context ctx) throws IOException {
        byte[] body = ctx.bodyAsBytes();
        if (body.length > SyncTree.MAX_BULK_CHUNKS * 66) {
            throw new HttpProblem(413, "too_many_chunks", "Ask for 1 to " + SyncTree.MAX_BULK_CHUNKS
                    + " chunks per request");
        }
        List<String> hashes = new ArrayList<>();
        for (String line : new String(body, java.nio.charset.StandardCharsets.US_ASCII).split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (!Hashes.isSha256Hex(line)) {
                throw HttpProblem.badRequest("The body must list chunk names (64 lowercase hexadecimal digits),"
                        + " one per line; '" + (line.length() > 80 ? line.substring(0, 80) + "..." : line)
                        + "' is not one");
            }
            hashes.add(line);
        }
        if (hashes.isEmpty() || hashes.size() > SyncTree.MAX_BULK_CHUNKS) {
            throw new HttpProblem(hashes.isEmpty() ? 400 : 413, hashes.isEmpty() ? "bad_request" : "too_many_chunks",
                    "Ask for 1 to " + SyncTree.MAX_BULK_CHUNKS + " chunks per request");
        }
        ctx.status(200);
        ctx.contentType("application/octet-stream");
        ctx.header("Cache-Control", "no-store");
        // Written straight to Jetty: never compressed, never held whole.
        java.io.OutputStream out = ctx.res().getOutputStream();
        byte[] length = new byte[4];
        for (String hash : hashes) {
            byte[] data = tree.chunk(hash).orElse(null);
            java.nio.ByteBuffer.wrap(length).putInt(data == null ? SyncTree.NOT_STORED : data.length);
            out.write(length);
            // In slices: the JDK copies a heap array into a temporary direct buffer for the socket
            // and keeps one per thread only up to jdk.nio.maxCachedBufferSize (256 KiB in
            // scripts/java-opts); a whole 1 MiB chunk would allocate and free one every time.
            for (int at = 0; data != null && at < data.length; at += WRITE_SLICE) {
                out.write(data, at, Math.min(WRITE_SLICE, data.length - at));
            }
        }
        out.flush();
    }

    /** The JSON body of POST /api/v1/sync. */
    private record SyncRequest(URI peer, List<String> packs, boolean dryRun, boolean both) {
    }

    /** The peer's sync token from the request, or null; it lives only in the job's client, never in a log. */
    private static String token(JsonNode body) {
        JsonNode token = body.get("token");
        if (token == null || token.isNull()) {
            return null;
        }
        if (!token.isTextual() || token.asText().length() > 1024) {
            throw HttpProblem.badRequest("'token' must be the peer's sync token, as text");
        }
        return token.asText().strip();
    }

    private void startSync(Context ctx) {
        JsonNode body = body(ctx);
        SyncRequest request = new SyncRequest(peer(body.path("peer").asText(null)), packIds(body.get("packs")),
                flag(body, "dryRun"), flag(body, "both"));
        PeerClient peer;
        try {
            peer = new PeerClient(request.peer, token(body));
        } catch (SyncException e) {
            throw problem(e);
        }
        int ourPort = ctx.req().getLocalPort();
        Job job = jobs.submit("sync", (request.dryRun ? "Dry run of a sync from " : "Sync from ") + request.peer,
                j -> {
                    SyncStatus status = pull(j, peer, request.packs, request.dryRun);
                    if (!request.both || request.dryRun) {
                        return status.summary();
                    }
                    return status.summary() + " " + askToPullFromUs(peer, ourPort);
                });
        ctx.status(202).json(Map.of("job", job.id(), "status", "/api/v1/sync/jobs/" + job.id()));
    }

    private SyncStatus pull(Job job, PeerClient peer, List<String> packs, boolean dryRun) {
        SyncProgress progress = new SyncProgress(peer.base().toString(), dryRun, job);
        synchronized (syncs) {
            syncs.put(job.id(), progress);
        }
        job.message((dryRun ? "Looking at " : "Pulling from ") + peer.base());
        SyncStatus status = new PackPuller(library, peer).sync(packs, dryRun, progress);
        if (!status.ok()) {
            throw new SyncException(SyncException.Reason.UNREACHABLE, status.summary() + " "
                    + String.join("; ", status.problems()));
        }
        return status;
    }

    private static String askToPullFromUs(PeerClient peer, int ourPort) {
        try {
            URI ours = PeerUrl.ourBaseFacing(peer.base(), ourPort);
            String job = peer.requestPull(ours, List.of()).jobId();
            return "The peer accepted to pull from this server (" + ours + ", its job " + job + ").";
        } catch (SyncException e) {
            return "The peer will not pull from this server: " + e.getMessage();
        }
    }

    private record SyncJobView(JobStatus job, SyncStatus sync) {
    }

    private void syncJob(Context ctx) {
        String id = ctx.pathParam("id");
        SyncProgress progress;
        synchronized (syncs) {
            progress = syncs.get(id);
        }
        JobStatus job = jobs.status(id).filter(s -> s.kind().equals("sync") || s.kind().equals("sync-request"))
                .orElseThrow(() -> HttpProblem.notFound("There is no sync job '" + id + "'"));
        ctx.json(new SyncJobView(job, progress == null ? null : progress.status()));
    }

    private void pullRequest(Context ctx) {
        JsonNode body = body(ctx);
        URI peerUrl;
        try {
            peerUrl = PullRequests.check(library, body.path("url").asText(""), remoteAddress(ctx));
        } catch (SyncException e) {
            throw problem(e);
        }
        List<String> packs = packIds(body.get("packs"));
        synchronized (requested) {
            for (String id : requested) {
                if (jobs.status(id).map(s -> !s.state().finished()).orElse(false)) {
                    throw new HttpProblem(409, "busy", "This server is already pulling for a peer; ask again later");
                }
            }
            Job job = jobs.submit("sync-request", "Sync requested by " + peerUrl,
                    j -> pull(j, new PeerClient(peerUrl), packs, false).summary());
            requested.removeIf(id -> jobs.status(id).isEmpty()); // forgotten by the job runner
            requested.add(job.id());
            ctx.status(202).json(Map.of("job", job.id(), "status", "/" + SyncTree.ROOT + "/pull-requests/" + job.id()));
        }
    }

    private void pullRequestStatus(Context ctx) {
        String id = ctx.pathParam("id");
        JobStatus s = (requested.contains(id) ? jobs.status(id) : java.util.Optional.<JobStatus>empty())
                .orElseThrow(() -> HttpProblem.notFound("There is no pull request '" + id + "'"));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("state", s.state().name());
        view.put("doneBytes", s.doneBytes());
        view.put("totalBytes", s.totalBytes());
        view.put("message", s.message());
        view.put("error", s.error());
        ctx.json(view);
    }

    private static JsonNode body(Context ctx) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw HttpProblem.badRequest("The request body must be JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpProblem.badRequest("The request body cannot be read");
        }
        if (body == null || !body.isObject()) {
            throw HttpProblem.badRequest("The request body must be a JSON object");
        }
        return body;
    }

    private static URI peer(String text) {
        if (text == null) {
            throw HttpProblem.badRequest("'peer' is missing: the base URL of the server or mirror to pull from");
        }
        try {
            return PeerUrl.parse(text);
        } catch (SyncException e) {
            throw problem(e);
        }
    }

    private static List<String> packIds(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw HttpProblem.badRequest("'packs' must be a list of pack ids");
        }
        for (JsonNode n : node) {
            if (!n.isTextual() || !SyncTree.isPackId(n.asText())) {
                throw HttpProblem.badRequest("'packs' must be a list of pack ids; " + n + " is not one");
            }
            out.add(n.asText());
        }
        return out;
    }

    private static boolean flag(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n != null && !n.isNull() && !n.isBoolean()) {
            throw HttpProblem.badRequest("'" + field + "' must be true or false");
        }
        return n != null && n.asBoolean();
    }

    private static long version(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static InetAddress remoteAddress(Context ctx) {
        try {
            return InetAddress.getByName(ctx.req().getRemoteAddr()); // a literal address: no lookup
        } catch (UnknownHostException e) {
            throw HttpProblem.badRequest("Cannot tell where this request came from");
        }
    }

    private static HttpProblem problem(SyncException e) {
        return switch (e.reason()) {
            case BAD_REQUEST -> HttpProblem.badRequest(e.getMessage());
            case REFUSED -> new HttpProblem(403, "sync_refused", e.getMessage());
            case CONFLICT -> new HttpProblem(409, "conflict", e.getMessage());
            case NO_SPACE -> new HttpProblem(507, "no_space", e.getMessage());
            case INVALID_PEER, UNREACHABLE -> new HttpProblem(502, "peer_failed", e.getMessage());
        };
    }
}
