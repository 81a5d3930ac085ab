package org.offlinecommons.web.content;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.Messages;
import org.offlinecommons.web.api.MetricsRoutes;
import org.offlinecommons.web.http.ErrorMapping;
import org.offlinecommons.web.http.ErrorPages;
import org.offlinecommons.web.http.SecurityHeaders;

/**
 * Answers GET and HEAD of pack files ({@code /packs/{id}/{path}}) in Jetty itself, in front of
 * Javalin's servlet: the hottest path of a school's server skips the servlet wrappers, the session
 * handler, Javalin's context and its before/after chain, which cost half of a small page's CPU.
 *
 * <p>It gives the same answers as {@link ContentRoutes} (both come from {@link PackFiles}) with the
 * same headers the before-handlers would have set ({@link SecurityHeaders#applyToPack}); the
 * admin gate lets every GET and HEAD under {@code /packs/} through. A missing file gets the 404
 * body of {@link ErrorMapping#body}; anything else, and every other failure (a bad path, an
 * unreadable library), goes on to Javalin, so that {@link ErrorMapping} answers it.
 * {@link InlineFileHandler}, outermost, sends the same answers when memory alone can give them.
 */
public final class PackFileHandler extends Handler.Wrapper {

    private static final String PREFIX = "/packs/";
    public static final String ROUTE = "/packs/{id}/<path>";

    private final PackFiles files;
    private final MetricsRoutes metrics;
    private final ObjectMapper json;
    /** Answering before Javalin (and its LanguageChoice), a 404 here speaks the server's default language. */
    private final Messages messages;

    public PackFileHandler(PackFiles files, MetricsRoutes metrics, ObjectMapper json, Messages messages) {
        this.files = files;
        this.metrics = metrics;
        this.json = json;
        this.messages = messages;
    }

    /** A GET or HEAD of a file in a pack, as asked; {@code path} is decoded. */
    public record Asked(String method, boolean head, String path, String packId, String file) {
    }

    /** What the request asks for, or null when it is not a plain GET or HEAD of a pack file. */
    public static Asked asked(Request request) {
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        String raw = request.getHttpURI().getPath();
        if (!head && !HttpMethod.GET.is(method) || raw == null || !raw.startsWith(PREFIX) || raw.endsWith("/")
                || SecurityHeaders.traversalProblem(raw) != null) {
            return null;
        }
        String path = request.getHttpURI().getDecodedPath();
        int slash = path.indexOf('/', PREFIX.length());
        if (slash <= PREFIX.length() || !path.startsWith(PREFIX)) {
            return null;
        }
        return new Asked(method, head, path, path.substring(PREFIX.length(), slash), path.substring(slash + 1));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Asked asked = asked(request);
        if (asked == null) {
            return super.handle(HeadAsGet.wrap(request), response, callback);
        }
        long started = System.nanoTime();
        PackFiles.Reply reply;
        try {
            HttpFields requestHeaders = request.getHeaders();
            reply = files.reply(asked.packId(), asked.file(), asked.head(), requestHeaders::get);
        } catch (HttpProblem e) {
            if (e.status() != 404 || ErrorPages.isNavigation(request.getHeaders().get(HttpHeader.ACCEPT))) {
                // A student following a broken link gets the page in words from Javalin (ErrorMapping).
                return super.handle(request, response, callback);
            }
            notFound(request, response, callback, asked, e, started);
            return true;
        } catch (RuntimeException e) {
            // Javalin runs the same lookup again and maps the failure to its answer (ErrorMapping).
            return super.handle(request, response, callback);
        }
        send(request, response, callback, asked, reply, started);
        return true;
    }

    /** Broken links are common (a half-copied site, a typo): answered here, without Javalin's cost. */
    private void notFound(Request request, Response response, Callback callback, Asked asked, HttpProblem e,
                          long started) throws IOException {
        response.setStatus(404);
        SecurityHeaders.applyToPack(asked.path(), response.getHeaders()::put);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        byte[] body = json.writeValueAsBytes(ErrorMapping.body(e, messages));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, asked.head() ? null : ByteBuffer.wrap(body), recorded(callback, asked, 404, started,
                request));
    }

    /** Sends {@code reply}; a body of stored chunks is written blocking, on this thread. */
    public void send(Request request, Response response, Callback callback, Asked asked, PackFiles.Reply reply,
              long started) {
        response.setStatus(reply.status());
        HttpFields.Mutable headers = response.getHeaders();
        SecurityHeaders.applyToPack(asked.path(), headers::put);
        List<String> replyHeaders = reply.headers();
        for (int i = 0; i < replyHeaders.size(); i += 2) {
            headers.put(replyHeaders.get(i), replyHeaders.get(i + 1));
        }
        write(response, callback, recorded(callback, asked, reply.status(), started, request), reply.body());
    }

    /** {@code done} once it is all written; {@code callback} failed when the client went away. */
    private void write(Response response, Callback callback, Callback done, PackFiles.Body body) {
        if (body instanceof PackFiles.NoBody) {
            response.write(true, null, done);
        } else if (body instanceof PackFiles.Bytes bytes) {
            response.write(true, bytes.buffer(), done);
        } else {
            // Large files: blocking writes of one chunk at a time, on this request's own thread.
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                files.write(body, out);
            } catch (Throwable e) {
                // Usually the client went away (closed the tab, seeked elsewhere).
                callback.failed(e);
                return;
            }
            done.succeeded();
        }
    }

    private Callback recorded(Callback callback, Asked asked, int status, long started, Request request) {
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                metrics.record(asked.method(), ROUTE, status, System.nanoTime() - started, asked.path(), request);
                super.succeeded();
            }
        };
    }
}
