package org.offlinecommons.web.sync;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.offlinecommons.store.DamagedChunkException;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.sync.LibraryTree;
import org.offlinecommons.sync.SyncTree;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.http.EntityTags;

/**
 * The read-only sync tree under {@code /sync/v1/} that peers pull from (docs/sync-protocol.md):
 * all a temporary server for a two-way CLI sync exposes, and part of every server.
 */
public final class SyncTreeRoutes {

    private static final int WRITE_SLICE = 256 * 1024;

    private final Library library;
    private final LibraryTree tree;

    public SyncTreeRoutes(Library library, LibraryTree tree) {
        this.library = library;
        this.tree = tree;
    }

    public void register(JavalinConfig config) {
        config.routes.post("/" + SyncTree.BULK_CHUNKS, this::bulkChunks);
        String root = "/" + SyncTree.ROOT;
        for (var route : List.<Map.Entry<String, Handler>>of(Map.entry(root + "/catalog.json", this::catalog),
                Map.entry(root + "/packs/{id}/{version}/manifest.json", this::manifest),
                Map.entry(root + "/chunks/{hash}", this::chunk),
                Map.entry(root + "/pieces/{hash}", this::piece))) {
            config.routes.get(route.getKey(), route.getValue());
            config.routes.head(route.getKey(), route.getValue());
        }
    }

    private void catalog(Context ctx) {
        byte[] body = tree.catalog();
        ctx.header("Cache-Control", "no-cache");
        if (notModified(ctx, "\"" + Hashes.sha256Hex(body) + "\"")) {
            return;
        }
        ctx.contentType("application/json").result(body);
    }

    private void manifest(Context ctx) {
        String id = ctx.pathParam("id");
        long version = version(ctx.pathParam("version"));
        if (!SyncTree.isPackId(id) || version < 1) {
            throw forPeers(404, "not_found", "There is no pack '" + id + "' version " + ctx.pathParam("version"));
        }
        var pack = library.catalog().pack(id).filter(p -> p.version() == version)
                .orElseThrow(() -> forPeers(404, "not_found", "This server has no pack '" + id + "' version " + version));
        ctx.header("Cache-Control", "no-cache");
        if (notModified(ctx, "\"" + pack.digest() + "\"")) {
            return;
        }
        ctx.contentType("application/json").result(tree.manifest(pack));
    }

    private void piece(Context ctx) {
        String hash = ctx.pathParam("hash");
        if (!Hashes.isSha256Hex(hash)) {
            throw forPeers(400, "bad_request", "'" + hash + "' is not a piece name (64 lowercase hexadecimal digits)");
        }
        byte[] data = tree.piece(hash).orElseThrow(() -> forPeers(404, "not_found", "This server has no piece " + hash));
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        if (notModified(ctx, "\"" + hash + "\"")) {
            return;
        }
        ctx.contentType("text/plain; charset=utf-8").result(data);
    }

    private void chunk(Context ctx) {
        String hash = ctx.pathParam("hash");
        if (!Hashes.isSha256Hex(hash)) {
            throw forPeers(400, "bad_request", "'" + hash + "' is not a chunk name (64 lowercase hexadecimal digits)");
        }
        byte[] data = tree.chunk(hash).orElseThrow(() -> forPeers(404, "not_found", "This server has no chunk " + hash));
        ctx.disableCompression();
        // Content-addressed: the bytes under this name can never change.
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        if (notModified(ctx, "\"" + hash + "\"")) {
            return;
        }
        // Set by hand so that HEAD tells the size too, and GET is not sent chunked.
        ctx.header("Content-Length", Integer.toString(data.length));
        ctx.contentType("application/octet-stream").result(data);
    }

    /** Sets the ETag; true (and 304) when If-None-Match names it or is {@code *}. */
    private static boolean notModified(Context ctx, String etag) {
        ctx.header("ETag", etag);
        if (EntityTags.noneMatchFails(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return true;
        }
        return false;
    }

    /**
     * Many chunks in one answer (docs/sync-protocol.md §5.1): each as a 4-byte length and its
     * bytes, streamed one chunk at a time so that memory holds one chunk whatever is asked.
     */
    private void bulkChunks(Context ctx) throws IOException {
        List<String> hashes = chunkNames(ctx.bodyAsBytes());
        ctx.status(200);
        ctx.contentType("application/octet-stream");
        ctx.header("Cache-Control", "no-store");
        // Written straight to Jetty: never compressed, never held whole.
        OutputStream out = ctx.res().getOutputStream();
        byte[] length = new byte[4];
        for (String hash : hashes) {
            byte[] data;
            try {
                data = tree.chunk(hash).orElse(null);
            } catch (DamagedChunkException e) {
                data = null; // no good copy here: the peer fetches it elsewhere
            }
            ByteBuffer.wrap(length).putInt(data == null ? SyncTree.NOT_STORED : data.length);
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

    /** The body of a bulk request: chunk names, one per line, 1 to {@link SyncTree#MAX_BULK_CHUNKS} of them. */
    private static List<String> chunkNames(byte[] body) {
        if (body.length > SyncTree.MAX_BULK_CHUNKS * 66) {
            throw new HttpProblem(413, "too_many_chunks", "Ask for 1 to " + SyncTree.MAX_BULK_CHUNKS
                    + " chunks per request");
        }
        List<String> hashes = new ArrayList<>();
        for (String line : new String(body, StandardCharsets.US_ASCII).split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (!Hashes.isSha256Hex(line)) {
                throw forPeers(400, "bad_request", "The body must list chunk names (64 lowercase hexadecimal digits),"
                        + " one per line; '" + (line.length() > 80 ? line.substring(0, 80) + "..." : line)
                        + "' is not one");
            }
            hashes.add(line);
        }
        if (hashes.isEmpty() || hashes.size() > SyncTree.MAX_BULK_CHUNKS) {
            throw new HttpProblem(hashes.isEmpty() ? 400 : 413, hashes.isEmpty() ? "bad_request" : "too_many_chunks",
                    "Ask for 1 to " + SyncTree.MAX_BULK_CHUNKS + " chunks per request");
        }
        return hashes;
    }

    private static long version(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A refusal only another server reads (the sync protocol): a fixed sentence, in English. */
    private static HttpProblem forPeers(int status, String code, String text) {
        return new HttpProblem(status, code, text);
    }
}
