package org.offlinecommons.web.download;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import org.eclipse.jetty.io.EofException;
import org.offlinecommons.app.PackDownloads;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.web.HttpProblem;

/**
 * A pack as a zip or a ZIM file, with {@code Content-Length}, {@code Range}, {@code If-Range} and an
 * {@code ETag}, so that a phone on flaky Wi-Fi resumes where it stopped. Answers 404 when the admin
 * turned downloads off.
 */
public final class DownloadRoutes {

    private final PackDownloads downloads;

    public DownloadRoutes(PackDownloads downloads) {
        this.downloads = downloads;
    }

    /** Where a pack's download is: {@code /download/ID.zip}. */
    public static String url(String packId, PackDownloads.Kind kind) {
        return "/download/" + packId + "." + kind.extension();
    }

    public void register(JavalinConfig config) {
        for (PackDownloads.Kind kind : PackDownloads.Kind.values()) {
            config.routes.get("/download/{id}." + kind.extension(), ctx -> serve(ctx, kind));
            config.routes.head("/download/{id}." + kind.extension(), ctx -> serve(ctx, kind));
        }
    }

    private void serve(Context ctx, PackDownloads.Kind kind) throws IOException {
        if (!downloads.enabled()) {
            throw HttpProblem.notFound("problem.downloadsOff");
        }
        PackDownloads.Download d = downloads.prepare(ctx.pathParam("id"), kind, ProgressListener.NONE);
        DownloadAnswer answer = DownloadAnswer.of(d, ctx::header);
        ctx.status(answer.status());
        answer.headers().forEach(ctx::header);
        if (answer.hasBody() && !"HEAD".equals(ctx.req().getMethod())) {
            try {
                // The servlet stream, not ctx.result(): Javalin would gzip the bytes and drop the length.
                d.bytes().write(answer.from(), answer.to(), ctx.res().getOutputStream());
            } catch (EofException e) {
                // The client went away (a cut connection it will resume with Range): not an error.
            }
        }
    }
}
