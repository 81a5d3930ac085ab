package org.offlinecommons.web.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.offlinecommons.admin.UploadTooLargeException;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.store.DamagedChunkException;
import org.offlinecommons.store.SearchBusyException;
import org.offlinecommons.store.SearchGate;
import org.offlinecommons.store.StoreException;
import org.offlinecommons.sync.SyncException;
import org.offlinecommons.web.ApiError;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP answers: a status and an {@link ApiError} body for
 * programs, or a page in plain words for people ({@link ErrorPages}). Internal details (stack
 * traces, SQL) go to the log, never to the client.
 */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
    private static final java.util.concurrent.atomic.AtomicBoolean STORE_TRACE_LOGGED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private ErrorMapping() {
    }

    public static void register(JavalinConfig config, ErrorPages pages) {
        Messages t = pages.messages();
        config.routes.exception(HttpProblem.class, (e, ctx) -> {
            String text = e.message(t);
            respond(ctx, pages, e.status(), e.code(), text, text);
        });
        config.routes.exception(PackException.class, (e, ctx) -> {
            int status = status(e);
            String text = said(e, t);
            respond(ctx, pages, status, e.reason().name().toLowerCase(java.util.Locale.ROOT), text,
                    status == 500 ? null : text);
        });
        config.routes.exception(SyncException.class, (e, ctx) -> {
            HttpProblem p = problem(e);
            String text = p.message(t);
            respond(ctx, pages, p.status(), p.code(), text, text);
        });
        config.routes.exception(UploadTooLargeException.class, (e, ctx) -> {
            String text = said(e, t);
            respond(ctx, pages, 413, "too_large", text, text);
        });
        config.routes.exception(DamagedChunkException.class, (e, ctx) -> {
            // Logged with its pack and file when found; one line per refused request after that.
            LOG.warn("{} {}: refused, {}", ctx.method(), ctx.path(), e.getMessage());
            respond(ctx, pages, 500, "damaged", t.get("problem.damaged"), null);
        });
        config.routes.exception(SearchBusyException.class, (e, ctx) -> {
            // Shedding a flood of searches so pages keep answering (SearchGate): expected, not logged.
            ctx.header("Retry-After", String.valueOf(SearchGate.RETRY_AFTER_SECONDS));
            respond(ctx, pages, 503, "busy", e.getMessage(), pages.message("search.busy"));
        });
        config.routes.exception(StoreException.class, (e, ctx) -> {
            // One line per failed request: a broken library fails every request, and a stack
            // trace for each buried the log. The first one is kept for whoever debugs it.
            if (STORE_TRACE_LOGGED.compareAndSet(false, true)) {
                LOG.error("Storage failure on {} {}", ctx.method(), ctx.path(), e);
            } else {
                LOG.error("Storage failure on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            }
            respond(ctx, pages, 503, "unavailable", t.get("problem.unavailable"), null);
        });
        // Javalin's own messages ("Endpoint GET /x not found") are for developers, not for pages.
        config.routes.exception(HttpResponseException.class, (e, ctx) ->
                respond(ctx, pages, e.getStatus(), e.getStatus() == 404 ? "not_found" : "http_" + e.getStatus(),
                        e.getMessage(), null));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            respond(ctx, pages, 500, "internal", t.get("problem.internal"), null);
        });
        config.routes.error(404, ctx -> {
            if (ctx.endpoints().lastHttpEndpoint() == null) {
                respond(ctx, pages, 404, "not_found", t.format("problem.nothingAt", ctx.path()), null);
            }
        });
    }

    /**
     * A refusal from below {@code web/} in the words of {@code t}'s language: the exception's own
     * detail (file names, fields: technical, and the same in every language) inside a translated
     * sentence that says what it means for the person (docs/translating.md, "Refusals").
     */
    public static String said(RuntimeException e, Messages t) {
        if (e instanceof UploadTooLargeException u) {
            return t.format("problem.upload.tooLarge", t.size(u.limit()));
        }
        if (e instanceof PackException p) {
            return t.format("problem.pack." + p.reason().name().toLowerCase(java.util.Locale.ROOT), p.getMessage());
        }
        if (e instanceof SyncException s) {
            return problem(s).message(t);
        }
        if (e instanceof HttpProblem h) {
            return h.message(t);
        }
        return t.get("problem.internal");
    }

    public static int status(PackException e) {
        return switch (e.reason()) {
            case INVALID -> 400;
            case CONFLICT -> 409;
            case NOT_FOUND -> 404;
            case NO_SPACE -> 507;
            case IO -> 500;
        };
    }

    /** A sync's failure in HTTP's terms: whose fault it is decides the status. */
    public static HttpProblem problem(SyncException e) {
        return switch (e.reason()) {
            case BAD_REQUEST -> HttpProblem.badRequest("problem.sync.badRequest", e.getMessage());
            case REFUSED -> HttpProblem.said(403, "sync_refused", "problem.sync.refused", e.getMessage());
            case CONFLICT -> HttpProblem.said(409, "conflict", "problem.sync.conflict", e.getMessage());
            case NO_SPACE -> HttpProblem.said(507, "no_space", "problem.sync.noSpace", e.getMessage());
            case INVALID_PEER, UNREACHABLE -> HttpProblem.said(502, "peer_failed", "problem.sync.peerFailed",
                    e.getMessage());
        };
    }

    /**
     * @param pageDetail what a page may add to its plain-words explanation, or null
     */
    private static void respond(Context ctx, ErrorPages pages, int status, String code, String message,
                                String pageDetail) {
        if (ErrorPages.isForPeople(ctx)) {
            pages.respond(ctx, status, pageDetail);
        } else {
            respond(ctx, status, code, message);
        }
        RefusalDrain.ifBodyUnread(ctx);
    }

    /**
     * The body of a {@link HttpProblem} for programs; {@link PackFileHandler} answers 404s of pack
     * files with it before Javalin (pack files are never answered with a page, see {@link ErrorPages}).
     */
    public static ApiError body(HttpProblem e, Messages t) {
        return new ApiError(e.code(), e.message(t));
    }

    public static void respond(Context ctx, int status, String code, String message) {
        ctx.status(status);
        ctx.json(new ApiError(code, message));
    }
}
