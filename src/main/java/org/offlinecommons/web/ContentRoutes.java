package org.offlinecommons.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.EofException;
import org.offlinecommons.pack.PackPath;
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

    private final Library library;

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
                library.catalog().pack(packId).isPresent()
                        ? "Pack '" + packId + "' has no file '" + path + "'"
                        : "There is no pack '" + packId + "' in this library"));
        FileRecipe recipe = library.chunks().recipe(file.sha256())
                .orElseThrow(() -> new IllegalStateException("content of " + packId + "/" + path + " is missing"));
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
        if (range.isPresent()) {
            ByteRange r = range.get();
            ctx.status(206);
            ctx.header("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + file.size());
            ctx.header("Content-Length", Long.toString(r.length()));
            if (!head) {
                copy(library.chunks().open(recipe, r.start(), r.length()), ctx.res().getOutputStream(), false);
            }
            return;
        }
        boolean gzip = file.size() >= GZIP_MIN_BYTES && isCompressible(type) && acceptsGzip(ctx);
        ctx.header("Vary", "Accept-Encoding");
        ctx.status(200);
        if (gzip) {
            ctx.header("Content-Encoding", "gzip");
            if (!head) {
                copy(library.chunks().open(recipe), ctx.res().getOutputStream(), true);
            }
        } else {
            ctx.header("Content-Length", Long.toString(file.size()));
            if (!head) {
                copy(library.chunks().open(recipe), ctx.res().getOutputStream(), false);
            }
        }
    }

    private static void copy(InputStream in, OutputStream rawOut, boolean gzip) throws IOException {
        try (in) {
            OutputStream out = gzip ? new GZIPOutputStream(rawOut, 64 * 1024) : rawOut;
            in.transferTo(out);
            if (gzip) {
                ((GZIPOutputStream) out).finish();
            }
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
