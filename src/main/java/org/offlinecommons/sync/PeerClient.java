package org.offlinecommons.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.offlinecommons.store.ChunkRef;
import org.offlinecommons.store.Hashes;

/**
 * Talks to one peer's sync tree over plain HTTP GETs. Every answer is size-capped and
 * time-limited; nothing here trusts what it reads: callers verify.
 */
public final class PeerClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Until the first byte of an answer: a peer busy writing still answers well within this. */
    static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(30);
    /** A whole chunk: 1 MiB in a minute is a link of 17 KB/s, slower than any LAN that works. */
    static final Duration CHUNK_TIMEOUT = Duration.ofSeconds(60);
    static final Duration JSON_TIMEOUT = Duration.ofMinutes(5);
    private static final int MAX_ERROR_BODY = 4096;
    private static final String USER_AGENT = "OfflineCommons-sync/1";

    static {
        // The JDK's HTTP client reads sockets 16 KiB at a time by default: 65,000 reads and as
        // many buffers for a 1 GB pack. 256 KiB cut the client's CPU by ~9 % on the bench pack
        // (docs/performance.md, Sync) and is the largest read the JDK keeps a direct buffer for
        // under scripts/java-opts (jdk.nio.maxCachedBufferSize). Read once, when the JDK's client
        // first loads, and PeerClient is the only user of that client here; a value given on the
        // command line wins.
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", Integer.toString(256 * 1024));
        }
    }

    /** What a peer answered to a pull request. */
    public record PullRequestAnswer(String jobId) {
    }

    /** A pull job the peer runs for us, as its status page says. */
    public record RemoteJob(String state, long doneBytes, long totalBytes, String message, String error) {
        public boolean finished() {
            return state.equals("SUCCEEDED") || state.equals("FAILED");
        }
    }

    private final URI base;
    private final HttpClient http;
    private final String token;
    private final AtomicLong received = new AtomicLong();

    public PeerClient(URI base) {
        this(base, null);
    }

    /**
     * @param token the peer's sync token (its {@code serve --sync-token}), sent as a bearer token
     *              with every request, or null when the peer shares with anyone on the network
     */
    public PeerClient(URI base, String token) {
        if (token != null) {
            checkToken(token);
        }
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Refuses what cannot be a sync token: it goes into a request header as it is.
     *
     * @throws SyncException (BAD_REQUEST) saying why
     */
    public static void checkToken(String token) {
        if (token.isBlank() || token.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
            throw new SyncException(SyncException.Reason.BAD_REQUEST,
                    "The sync token must be printable ASCII without spaces (as the peer's --sync-token)");
        }
    }

    public URI base() {
        return base;
    }

    /** Bytes of answer bodies received so far, including any that were then refused. */
    public long bytesReceived() {
        return received.get();
    }

    public PeerCatalog catalog() {
        URI uri = PeerUrl.resolve(base, SyncTree.CATALOG);
        Answer a = get(uri, SyncTree.MAX_CATALOG_BYTES, false, JSON_TIMEOUT);
        if (a.status == 404) {
            throw new SyncException(SyncException.Reason.UNREACHABLE, "There is no sync catalog at " + uri
                    + " (404). The peer URL must be an Offline Commons server or the folder a mirror was written to"
                    + " (the one holding sync/v1/).");
        }
        requireOk(uri, a);
        return PeerCatalog.parse(a.body, uri.toString());
    }

    public PeerManifest manifest(PeerCatalog.Entry entry) {
        URI uri = PeerUrl.resolve(base, SyncTree.manifest(entry.id(), entry.version()));
        Answer a = get(uri, SyncTree.MAX_MANIFEST_BYTES, false, JSON_TIMEOUT);
        if (a.status == 404) {
            throw new SyncException(SyncException.Reason.INVALID_PEER, uri + ": the peer lists '" + entry.id()
                    + "' version " + entry.version() + " in its catalog but has no manifest for it (404)");
        }
        requireOk(uri, a);
        PeerManifest manifest = PeerManifest.parse(a.body, uri.toString());
        manifest.requireMatches(entry, uri.toString());
        return manifest;
    }

    /** A piece of a format-2 manifest, checked against its size and hash. */
    public byte[] piece(ManifestPieces.Piece piece) {
        URI uri = PeerUrl.resolve(base, SyncTree.piece(piece.sha256()));
        Answer a = get(uri, piece.size() + 1, true, JSON_TIMEOUT);
        if (a.status == 404) {
            throw new SyncException(SyncException.Reason.INVALID_PEER, uri + ": the peer's manifest lists this piece"
                    + " but the peer does not have it (404)");
        }
        requireOk(uri, a);
        if (a.body.length != piece.size() || !Hashes.sha256Hex(a.body).equals(piece.sha256())) {
            throw new SyncException(SyncException.Reason.INVALID_PEER, uri + ": is not the piece the manifest lists"
                    + " (its size or SHA-256 differ)");
        }
        return a.body;
    }

    /**
     * One chunk's bytes as the peer sent them, unverified. A body longer than the chunk comes
     * back one byte too long (the rest is not read), so the caller's check refuses it.
     */
    public byte[] chunk(ChunkRef ref) {
        URI uri = PeerUrl.resolve(base, SyncTree.chunk(ref.hash()));
        Answer a = get(uri, ref.size() + 1, true, CHUNK_TIMEOUT);
        if (a.status == 404) {
            throw new SyncException(SyncException.Reason.INVALID_PEER, uri + ": the peer's manifest lists this chunk"
                    + " but the peer does not have it (404)");
        }
        requireOk(uri, a);
        return a.body;
    }

    /**
     * Many chunks in one request (docs/sync-protocol.md §5.1), unverified, in the order asked
     * for; null in place of a chunk the peer says it does not have. The list is shorter than
     * {@code refs} when the answer broke off or went wrong: what came whole is still given.
     * Empty when the peer does not take bulk requests (a static tree or an older server).
     *
     * @throws SyncException UNREACHABLE when nothing usable arrived because of the network
     */
    public Optional<List<byte[]>> chunks(List<ChunkRef> refs) {
        if (refs.isEmpty() || refs.size() > SyncTree.MAX_BULK_CHUNKS) {
            throw new IllegalArgumentException(refs.size() + " chunks in one request");
        }
        URI uri = PeerUrl.resolve(base, SyncTree.BULK_CHUNKS);
        StringBuilder body = new StringBuilder(refs.size() * 65);
        for (ChunkRef ref : refs) {
            if (!org.offlinecommons.store.Hashes.isSha256Hex(ref.hash())) {
                throw new IllegalArgumentException("not a SHA-256: " + ref.hash());
            }
            body.append(ref.hash()).append('\n');
        }
        HttpRequest request = request(uri).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        long bytes = refs.stream().mapToLong(ChunkRef::size).sum();
        // As for single chunks: a minute per MiB asked for.
        Duration timeout = CHUNK_TIMEOUT.multipliedBy(Math.max(1, (bytes + (1 << 20) - 1) >> 20));
        BulkChunks[] reader = {null};
        CompletableFuture<HttpResponse<List<byte[]>>> pending = http.sendAsync(request, info -> {
            if (info.statusCode() != 200) {
                return HttpResponse.BodySubscribers.mapping(new LimitedBody(info, MAX_ERROR_BODY, true, received),
                        ignored -> null);
            }
            reader[0] = new BulkChunks(refs, received);
            return reader[0];
        });
        try {
            HttpResponse<List<byte[]>> response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (TimeoutException e) {
            pending.cancel(true);
            return partial(reader[0], uri, "the peer did not answer within " + timeout.toSeconds() + " s", null);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new SyncException(SyncException.Reason.UNREACHABLE, uri + ": interrupted", e);
        } catch (ExecutionException e) {
            return partial(reader[0], uri, null, e.getCause() == null ? e : e.getCause());
        }
    }

    /** What came whole of a bulk answer that failed; a failure if nothing did. */
    private static Optional<List<byte[]>> partial(BulkChunks reader, URI uri, String why, Throwable cause) {
        List<byte[]> got = reader == null ? List.of() : reader.received();
        if (got.isEmpty()) {
            throw cause == null ? new SyncException(SyncException.Reason.UNREACHABLE, uri + ": " + why)
                    : failure(uri, cause);
        }
        return Optional.of(got);
    }

    /** Asks the peer to pull from {@code ours}; it decides by its own settings whether to. */
    public PullRequestAnswer requestPull(URI ours, List<String> packs) {
        return requestPull(ours, packs, null);
    }

    /**
     * Asks the peer to pull from {@code ours}, handing it {@code grant} (a {@link PullGrants}
     * token, or null) to send as its sync token when it reads our tree.
     */
    public PullRequestAnswer requestPull(URI ours, List<String> packs, String grant) {
        URI uri = PeerUrl.resolve(base, SyncTree.ROOT + "/pull-request");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("url", ours.toString());
        packs.forEach(body.putArray("packs")::add);
        if (grant != null) {
            body.put("token", grant);
        }
        HttpRequest request = request(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SyncJson.write(body))).build();
        Answer a = send(request, MAX_ERROR_BODY, false, HEADERS_TIMEOUT);
        if (a.status == 403 || a.status == 409) {
            throw new SyncException(a.status == 403 ? SyncException.Reason.REFUSED : SyncException.Reason.CONFLICT,
                    "The peer declined to pull from us: " + peerMessage(a));
        }
        if (a.status == 404 || a.status == 405) {
            throw new SyncException(SyncException.Reason.REFUSED, "The peer at " + base
                    + " does not take pull requests (a mirror folder, or an older version)");
        }
        if (a.status != 202 && a.status != 200) {
            throw statusError(uri, a);
        }
        JsonNode answer = SyncJson.readObject(a.body, uri.toString());
        return new PullRequestAnswer(SyncJson.text(answer, "job", 64, uri.toString(), ""));
    }

    public RemoteJob pullRequestStatus(String jobId) {
        URI uri = PeerUrl.resolve(base, SyncTree.ROOT + "/pull-requests/" + jobId);
        Answer a = get(uri, 64 * 1024, false, HEADERS_TIMEOUT);
        requireOk(uri, a);
        JsonNode s = SyncJson.readObject(a.body, uri.toString());
        return new RemoteJob(s.path("state").asText(""), s.path("doneBytes").asLong(), s.path("totalBytes").asLong(),
                s.path("message").asText(""), s.path("error").isTextual() ? s.get("error").asText() : null);
    }

    private record Answer(int status, byte[] body) {
    }

    private Answer get(URI uri, long limit, boolean truncate, Duration timeout) {
        HttpRequest request = request(uri).GET().build();
        return send(request, limit, truncate, timeout);
    }

    private Answer send(HttpRequest request, long limit, boolean truncate, Duration timeout) {
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, info -> info.statusCode() / 100 == 2
                ? new LimitedBody(info, limit, truncate, received)
                : new LimitedBody(info, MAX_ERROR_BODY, true, received));
        try {
            HttpResponse<byte[]> response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new SyncException(SyncException.Reason.UNREACHABLE, request.uri() + ": the peer did not answer"
                    + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new SyncException(SyncException.Reason.UNREACHABLE, request.uri() + ": interrupted", e);
        } catch (ExecutionException e) {
            throw failure(request.uri(), e.getCause() == null ? e : e.getCause());
        }
    }

    private static SyncException failure(URI uri, Throwable cause) {
        if (cause instanceof LimitedBody.TooLargeException) {
            return new SyncException(SyncException.Reason.INVALID_PEER, uri + ": " + cause.getMessage()
                    + "; refused", cause);
        }
        if (cause instanceof SyncException s) {
            return s;
        }
        String why;
        if (cause instanceof HttpConnectTimeoutException) {
            why = "cannot connect within " + CONNECT_TIMEOUT.toSeconds() + " s (is the address right?)";
        } else if (cause instanceof ConnectException) {
            why = "cannot connect (is the peer running, and is the address right?)";
        } else if (cause instanceof HttpTimeoutException) {
            why = "the peer did not answer within " + HEADERS_TIMEOUT.toSeconds() + " s";
        } else if (cause instanceof IOException) {
            why = "the connection failed (" + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getMessage()) + ")";
        } else {
            why = cause.toString();
        }
        return new SyncException(SyncException.Reason.UNREACHABLE, uri + ": " + why, cause);
    }

    /** A request to the peer with what every request carries: a deadline for the headers, who we are, the token. */
    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(HEADERS_TIMEOUT).header("User-Agent", USER_AGENT);
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private static void requireOk(URI uri, Answer a) {
        if (a.status != 200) {
            throw statusError(uri, a);
        }
    }

    private static SyncException statusError(URI uri, Answer a) {
        if (a.status == 401) {
            // The peer runs with --sync-token: no token, or the wrong one, was sent.
            return new SyncException(SyncException.Reason.REFUSED, uri + ": the peer shares only with servers that"
                    + " send its sync token; give it with --token-file (or \"token\" in the API), as the peer's admin"
                    + " set it with serve --sync-token");
        }
        SyncException.Reason reason = a.status >= 500 ? SyncException.Reason.UNREACHABLE
                : SyncException.Reason.INVALID_PEER;
        return new SyncException(reason, uri + ": the peer answered HTTP " + a.status
                + (a.body.length > 0 ? " (" + peerMessage(a) + ")" : ""));
    }

    /** The peer's error message: its JSON {@code message} if it sent one, else the start of its text. */
    private static String peerMessage(Answer a) {
        try {
            JsonNode n = SyncJson.MAPPER.readTree(a.body);
            if (n != null && n.path("message").isTextual()) {
                return printable(n.get("message").asText());
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: show it as text below.
        }
        return printable(new String(a.body, StandardCharsets.UTF_8));
    }

    private static String printable(String s) {
        String t = s.replaceAll("\\p{Cntrl}", " ").strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
