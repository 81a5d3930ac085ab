package org.offlinecommons.web;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 */
final class PackFileHandler extends Handler.Wrapper {

    private static final String PREFIX = "/packs/";
    static final String ROUTE = "/packs/{id}/<path>";

    private final PackFiles files;
    private final MetricsRoutes metrics;
    private final ObjectMapper json;

    PackFileHandler(PackFiles files, MetricsRoutes metrics, ObjectMapper json) {
        this.files = files;
        this.metrics = metrics;
        this.json = json;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        String raw = request.getHttpURI().getPath();
        if (!head && !HttpMethod.GET.is(method) || raw == null || !raw.startsWith(PREFIX) || raw.endsWith("/")
                || SecurityHeaders.traversalProblem(raw) != null) {
            return super.handle(request, response, callback);
        }
        String path = request.getHttpURI().getDecodedPath();
        int slash = path.indexOf('/', PREFIX.length());
        if (slash <= PREFIX.length() || !path.startsWith(PREFIX)) {
            return super.handle(request, response, callback);
        }
        long started = System.nanoTime();
        String file = path.substring(slash + 1);
        PackFiles.Reply reply;
        try {
            HttpFields requestHeaders = request.getHeaders();
            reply = files.reply(path.substring(PREFIX.length(), slash), file, head, requestHeaders::get);
        } catch (HttpProblem e) {
            if (e.status() != 404 || ErrorPages.isNavigation(request.getHeaders().get(HttpHeader.ACCEPT))) {
                // A student following a broken link gets the page in words from Javalin (ErrorMapping).
                return super.handle(request, response, callback);
            }
            // Broken links are common (a half-copied site, a typo): answered here, without Javalin's cost.
            response.setStatus(404);
            SecurityHeaders.applyToPack(path, response.getHeaders()::put);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            byte[] json = this.json.writeValueAsBytes(ErrorMapping.body(e));
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(json.length));
            response.write(true, head ? null : ByteBuffer.wrap(json), recorded(callback, method, 404, started, path,
                    request));
            return true;
        } catch (RuntimeException e) {
            // Javalin runs the same lookup again and maps the failure to its answer (ErrorMapping).
            return super.handle(request, response, callback);
        }
        response.setStatus(reply.status());
        HttpFields.Mutable headers = response.getHeaders();
        SecurityHeaders.applyToPack(path, headers::put);
        List<String> replyHeaders = reply.headers();
        for (int i = 0; i < replyHeaders.size(); i += 2) {
            headers.put(replyHeaders.get(i), replyHeaders.get(i + 1));
        }
        Callback done = recorded(callback, method, reply.status(), started, path, request);
        PackFiles.Body body = reply.body();
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
                return true;
            }
            done.succeeded();
        }
        return true;
    }

    private Callback recorded(Callback callback, String method, int status, long started, String path,
                              Request request) {
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                metrics.record(method, ROUTE, status, System.nanoTime() - started, path, request);
                super.succeeded();
            }
        };
    }
}
