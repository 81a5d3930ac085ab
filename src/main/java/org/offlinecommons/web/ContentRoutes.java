package org.offlinecommons.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.EofException;
import org.offlinecommons.pack.PackPath;
import org.offlinecommons.store.ChunkRef;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.StoredFile;

/**
 * Serves pack files byte for byte under {@code /packs/{id}/{path}}, so a pack's HTML site works
 * with its relative links as it did on disk. Conditional requests, single ranges (for seeking in
 * video) and gzip are handled here rather than by Javalin, which does neither ranges nor
 * compression on a streamed body.
 */
final class ContentRoutes {

    /** Below this size gzip saves too little to be worth a CPU-starved server's time. */
    private static final long GZIP_MIN_BYTES = 1024;
    private static final Set<String> COMPRESSIBLE_TYPES = Set.of("application/javascript", "text/javascript",
            "application/json", "application/xml", "image/svg+xml", "application/xhtml+xml");
    private static final MimeTypes MIME = new MimeTypes();
    /** Files up to one chunk are kept in memory once read: pages, stylesheets and pictures. */
    private static final int HOT_FILE_MAX_BYTES = ChunkStore.CHUNK_SIZE;
    /** A few hundred typical pages and pictures, small beside the 256 MB heap of a small box. */
    private static final long HOT_BYTES = 32L << 20;

    private final Library library;
    private final HotFiles hot = new HotFiles(HOT_BYTES);

    ContentRoutes(Library library) {
        this.library = library;
    }

    void register(JavalinConfig config) {
        Handler file = ctx -> serve(ctx, ctx.pathParam("id"), ctx.pathParam("path"));
        Handler root = ctx -> serveEntry(ctx, ctx.pathParam("id"));
        config.routes.get("/packs/{id}/<path>", file);
        config.routes.head("/packs/{id}/<path>", file);
        config.routes.get("/packs/{id}/", root);
        config.routes.head("/packs/{id}/", root);
        config.routes.get("/packs/{id}", ctx -> ctx.redirect(ContentUrls.packRoot(ctx.pathParam("id"))));
    }

    private void serveEntry(Context ctx, String packId) throws IOException {
        PackRecord pack = library.catalog().pack(packId)
                .orElseThrow(() -> HttpProblem.notFound("There is no pack '" + packId + "' in this library"));
        if (pack.entry() == null) {
            throw HttpProblem.notFound("Pack '" + packId + "' has no start page");
        }
        if (pack.entry().contains("/")) {
            // Relative links in the entry page resolve against its own folder, so send the
            // browser there instead of serving it from the pack root.
            ctx.redirect(ContentUrls.file(packId, pack.entry()));
            return;
        }
        serve(ctx, packId, pack.entry());
    }

    private void serve(Context ctx, String packId, String path) throws IOException {
        String problem = PackPath.problem(path);
        if (problem != null) {
            throw HttpProblem.badRequest("Not a valid path in a pack: " + problem);
        }
        StoredFile file = library.catalog().file(packId, path).orElseThrow(() -> HttpProblem.notFound(
                library.catalog().exists(packId)
                        ? "Pack '" + packId + "' has no file '" + path + "'"
                        : "There is no pack '" + packId + "' in this library"));
        String etag = "\"" + file.sha256() + "\"";
        String type = contentType(path);
        ctx.header("ETag", etag);
        ctx.header("Accept-Ranges", "bytes");
        // Content changes only with a new pack version at the same URL: cache, but revalidate.
        ctx.header("Cache-Control", "public, no-cache");
        ctx.contentType(type);
        if (matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        Optional<ByteRange> range;
        try {
            String ifRange = ctx.header("If-Range");
            range = ifRange == null || ifRange.strip().equals(etag)
                    ? ByteRange.parse(ctx.header("Range"), file.size())
                    : Optional.empty();
        } catch (ByteRange.Unsatisfiable e) {
            ctx.status(416);
            ctx.header("Content-Range", "bytes */" + file.size());
            ctx.header("Content-Length", "0");
            return;
        }
        boolean head = "HEAD".equals(ctx.req().getMethod());
        boolean small = file.size() <= HOT_FILE_MAX_BYTES;
        if (range.isPresent()) {
            ByteRange r = range.get();
            ctx.status(206);
            ctx.header("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + file.size());
            ctx.header("Content-Length", Long.toString(r.length()));
            if (!head) {
                if (small) {
                    send(ctx, smallFile(file, packId, path), (int) r.start(), (int) r.length());
                } else {
                    stream(ctx, recipe(file, packId, path), r.start(), r.length());
                }
            }
            return;
        }
        boolean gzip = file.size() >= GZIP_MIN_BYTES && isCompressible(type) && acceptsGzip(ctx);
        ctx.header("Vary", "Accept-Encoding");
        ctx.status(200);
        if (gzip && small) {
            byte[] body = gzippedSmallFile(file, packId, path);
            ctx.header("Content-Encoding", "gzip");
            ctx.header("Content-Length", Integer.toString(body.length));
            if (!head) {
                send(ctx, body, 0, body.length);
            }
        } else if (gzip) {
            ctx.header("Content-Encoding", "gzip");
            if (!head) {
                copyGzipped(library.chunks().open(recipe(file, packId, path)), ctx.res().getOutputStream());
            }
        } else {
            ctx.header("Content-Length", Long.toString(file.size()));
            if (!head) {
                if (small) {
                    byte[] body = smallFile(file, packId, path);
                    send(ctx, body, 0, body.length);
                } else {
                    stream(ctx, recipe(file, packId, path), 0, file.size());
                }
            }
        }
    }

    private FileRecipe recipe(StoredFile file, String packId, String path) {
        return library.chunks().recipe(file.sha256())
                .orElseThrow(() -> new IllegalStateException("content of " + packId + "/" + path + " is missing"));
    }

    /**
     * A small file's bytes, from memory when it was read before. Keyed by content hash, so an
     * entry can never be stale: changed content has another hash.
     */
    private byte[] smallFile(StoredFile file, String packId, String path) throws IOException {
        byte[] bytes = hot.get(file.sha256());
        if (bytes == null) {
            try (InputStream in = library.chunks().open(recipe(file, packId, path))) {
                bytes = in.readAllBytes();
            }
            hot.put(file.sha256(), bytes);
        }
        return bytes;
    }

    /** Compressed once, then served from memory: gzip costs a slow CPU more than the send. */
    private byte[] gzippedSmallFile(StoredFile file, String packId, String path) throws IOException {
        String key = file.sha256() + ".gz";
        byte[] gz = hot.get(key);
        if (gz == null) {
            byte[] plain = smallFile(file, packId, path);
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(plain.length / 3 + 64);
            try (GZIPOutputStream out = new GZIPOutputStream(buffer, 64 * 1024)) {
                out.write(plain);
            }
            gz = buffer.toByteArray();
            hot.put(key, gz);
        }
        return gz;
    }

    private static void send(Context ctx, byte[] bytes, int offset, int length) throws IOException {
        try {
            OutputStream out = ctx.res().getOutputStream();
            out.write(bytes, offset, length);
            out.flush();
        } catch (EofException e) {
            // The client went away (closed the tab, seeked elsewhere): not an error.
        }
    }

    /**
     * Writes a large file's bytes straight from each stored chunk, one chunk in memory at a
     * time: one large write per chunk instead of thousands of small copies.
     */
    private void stream(Context ctx, FileRecipe recipe, long offset, long length) throws IOException {
        try {
            OutputStream out = ctx.res().getOutputStream();
            long skip = offset;
            long remaining = length;
            for (ChunkRef ref : recipe.chunks()) {
                if (remaining <= 0) {
                    break;
                }
                if (skip >= ref.size()) {
                    skip -= ref.size();
                    continue;
                }
                byte[] chunk = library.chunks().readChunk(ref.hash())
                        .orElseThrow(() -> new IOException("chunk " + ref.hash() + " is missing from the library"));
                int n = (int) Math.min(chunk.length - skip, remaining);
                out.write(chunk, (int) skip, n);
                remaining -= n;
                skip = 0;
            }
            if (remaining > 0) {
                throw new IOException("stored file " + recipe.fileHash() + " ends early");
            }
            out.flush();
        } catch (EofException e) {
            // The client went away (closed the tab, seeked elsewhere): not an error.
        }
    }

    private static void copyGzipped(InputStream in, OutputStream rawOut) throws IOException {
        try (in) {
            GZIPOutputStream out = new GZIPOutputStream(rawOut, 64 * 1024);
            in.transferTo(out);
            out.finish();
            out.flush();
        } catch (EofException e) {
            // The client went away (closed the tab, seeked elsewhere): not an error.
        }
    }

    static String contentType(String path) {
        String type = MIME.getMimeByExtension(path);
        if (type == null) {
            String lower = path.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
                type = "text/markdown";
            } else {
                type = "application/octet-stream";
            }
        }
        if ((type.startsWith("text/") || type.equals("application/javascript") || type.equals("application/json"))
                && !type.contains("charset")) {
            type = type + "; charset=utf-8";
        }
        return type;
    }

    private static boolean isCompressible(String type) {
        String base = type.split(";", 2)[0].strip();
        return base.startsWith("text/") || COMPRESSIBLE_TYPES.contains(base);
    }

    private static boolean acceptsGzip(Context ctx) {
        String ae = ctx.header("Accept-Encoding");
        return ae != null && ae.toLowerCase(Locale.ROOT).contains("gzip");
    }

    /**
     * A least-recently-used map of immutable bytes, bounded by their total size. One lock: its
     * work is a map lookup, far shorter than the request around it.
     */
    private static final class HotFiles {
        private final long budget;
        private long used;
        private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(256, 0.75f, true);

        HotFiles(long budget) {
            this.budget = budget;
        }

        synchronized byte[] get(String key) {
            return entries.get(key);
        }

        synchronized void put(String key, byte[] bytes) {
            if (bytes.length > budget / 4) {
                return;
            }
            byte[] previous = entries.put(key, bytes);
            used += bytes.length - (previous == null ? 0 : previous.length);
            var eldest = entries.entrySet().iterator();
            while (used > budget && eldest.hasNext()) {
                Map.Entry<String, byte[]> e = eldest.next();
                used -= e.getValue().length;
                eldest.remove();
            }
        }
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag) || c.equals("*")) {
                return true;
            }
        }
        return false;
    }
}
