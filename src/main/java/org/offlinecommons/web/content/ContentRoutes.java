package org.offlinecommons.web.content;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.util.List;
import org.eclipse.jetty.io.EofException;
import org.offlinecommons.store.DamagedChunkException;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.web.HttpProblem;

/**
 * Serves pack files byte for byte under {@code /packs/{id}/{path}}, so a pack's HTML site works
 * with its relative links as it did on disk. The answers come from {@link PackFiles}; most file
 * requests are answered before Javalin by {@link PackFileHandler}, and reach these routes only
 * when they fail (so that {@link ErrorMapping} answers them) or ask for a pack's entry page.
 */
public final class ContentRoutes {

    private final Library library;
    private final PackFiles files;

    public ContentRoutes(Library library, PackFiles files) {
        this.library = library;
        this.files = files;
    }

    public void register(JavalinConfig config) {
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
                .orElseThrow(() -> HttpProblem.notFound("error.noPack", packId));
        if (pack.entry() == null) {
            throw HttpProblem.notFound("problem.noStartPage", packId);
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
        boolean head = "HEAD".equals(ctx.req().getMethod());
        PackFiles.Reply reply = files.reply(packId, path, head, ctx::header);
        ctx.status(reply.status());
        List<String> headers = reply.headers();
        for (int i = 0; i < headers.size(); i += 2) {
            ctx.header(headers.get(i), headers.get(i + 1));
        }
        if (reply.body() instanceof PackFiles.NoBody) {
            return;
        }
        try {
            // The servlet stream, not ctx.result(): Javalin would gzip a range or drop the length.
            files.write(reply.body(), ctx.res().getOutputStream());
        } catch (EofException e) {
            // The client went away (closed the tab, seeked elsewhere): not an error.
        } catch (DamagedChunkException e) {
            if (!ctx.res().isCommitted()) {
                throw e;
            }
            // Headers are sent: the connection is cut (the body ends short of its length) rather
            // than an error page appended to the file's bytes. The damage was logged when found.
            throw new EofException(e.getMessage());
        }
    }
}
