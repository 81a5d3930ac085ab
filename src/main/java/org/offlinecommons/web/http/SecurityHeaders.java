package org.offlinecommons.web.http;

import io.javalin.http.Context;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.content.PackFiles;

/**
 * The browser-side defences, set on every answer before its route runs.
 *
 * <p>Pack content is untrusted: anything under {@code /packs/} is a sandboxed document with an
 * origin of its own (no {@code allow-same-origin}), so its scripts cannot read our cookies or
 * pages, and its requests carry {@code Origin: null} and no admin cookie, which
 * {@link AdminGate} refuses. It may not fetch anything at all ({@code connect-src 'none'}): on a
 * school LAN a pack has no business calling home, or calling the admin API. A pack that loads
 * its own data with fetch/XHR will not work; packs should inline such data.
 *
 * <p>Our own pages need no inline script or style, so they get a strict policy; admin pages may
 * not be framed at all (clickjacking a "Delete" button). Our pages use {@code Referrer-Policy:
 * same-origin} rather than {@code no-referrer}: under no-referrer browsers send {@code Origin:
 * null} even on same-origin form posts, and the Origin check could no longer tell the admin's
 * own forms from a pack's. Nothing ever goes to another site, so nothing leaks either way.
 */
public final class SecurityHeaders {

    public static final String PACK_POLICY = "sandbox allow-scripts allow-forms allow-popups;"
            // 'unsafe-eval' only matters inside the sandbox, where it grants nothing inline scripts lack.
            + " default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; connect-src 'none'; frame-ancestors 'self'";
    public static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " media-src 'self'; object-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'";
    public static final String ADMIN_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " media-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /** Encoded separators, NUL, and the same once more percent-encoded: never in a URL we make. */
    private static final Pattern ENCODED_DANGER = Pattern.compile("%(25)*(2f|5c|00)", Pattern.CASE_INSENSITIVE);
    /** A path segment that is '.' or '..', written plainly or with %2e (or %252e ...). */
    private static final Pattern DOT_SEGMENT =
            Pattern.compile("(^|/)(\\.|%(25)*2e){1,2}(/|$)", Pattern.CASE_INSENSITIVE);

    private SecurityHeaders() {
    }

    public static void apply(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/packs/")) {
            applyToPack(path, ctx::header);
            return;
        }
        ctx.header("X-Content-Type-Options", "nosniff");
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            ctx.header("Content-Security-Policy", ADMIN_POLICY);
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Referrer-Policy", "same-origin");
            // Pages with the admin's token must not stay in a shared computer's cache.
            ctx.header("Cache-Control", "no-store");
        } else {
            ctx.header("Content-Security-Policy", PAGE_POLICY);
            ctx.header("Referrer-Policy", "same-origin");
        }
    }

    /** The headers of everything under {@code /packs/}; {@link PackFileHandler} sets them without Javalin. */
    public static void applyToPack(String path, BiConsumer<String, String> header) {
        header.accept("X-Content-Type-Options", "nosniff");
        // A sandboxed document may not run plugins, and browsers show PDFs with one: a PDF keeps
        // no policy (its viewer runs in the browser's own origin, not ours).
        if (!PackFiles.contentType(path).startsWith("application/pdf")) {
            header.accept("Content-Security-Policy", PACK_POLICY);
        }
        header.accept("Referrer-Policy", "no-referrer");
    }

    /**
     * Refuses URLs that try to climb out of where they point (dot segments, encoded slashes or
     * backslashes, NUL, double encoding), judged on the URL exactly as it was sent: the server
     * has decoded and normalised {@link Context#path()} by the time a route sees it.
     */
    public static void refuseTraversal(Context ctx) {
        String raw = ctx.req().getRequestURI();
        String problem = traversalProblem(raw);
        if (problem != null) {
            throw HttpProblem.badRequest("problem.badAddress", problem);
        }
    }

    public static String traversalProblem(String rawPath) {
        if (rawPath == null) {
            return null;
        }
        if (rawPath.indexOf('\\') >= 0 || rawPath.indexOf('\0') >= 0) {
            return "it contains a backslash or a NUL character";
        }
        if (rawPath.indexOf('%') < 0 && rawPath.indexOf("/.") < 0 && !rawPath.startsWith(".")) {
            // Most addresses: neither pattern below can match, and this runs on every request.
            return null;
        }
        if (ENCODED_DANGER.matcher(rawPath).find()) {
            return "it contains an encoded slash, backslash or NUL";
        }
        if (DOT_SEGMENT.matcher(rawPath).find()) {
            return "it contains a '.' or '..' segment";
        }
        return null;
    }
}
