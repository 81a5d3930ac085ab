package org.offlinecommons.web.sync;

import io.javalin.Javalin;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.offlinecommons.store.DamagedChunkException;
import org.offlinecommons.store.Library;
import org.offlinecommons.sync.LibraryTree;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.http.ErrorMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server of the read-only sync tree alone, for as long as a peer pulls from us during a
 * two-way sync started from the command line (no pages, no API, no pull requests).
 */
public final class SyncTreeServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncTreeServer.class);
    private final Javalin app;

    private SyncTreeServer(Javalin app) {
        this.app = app;
    }

    /** @param tree the library's sync tree, built by the caller (the use case is not this server's) */
    public static SyncTreeServer start(Library library, LibraryTree tree, String bindAddress, int port) {
        SyncTreeRoutes routes = new SyncTreeRoutes(library, tree);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = bindAddress;
            config.jetty.port = port;
            config.jetty.threadPool = new QueuedThreadPool(16, 2, 60_000);
            config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            config.routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
            // Only the tree's own answers can occur here; no pages, so always the JSON error shape.
            config.routes.exception(HttpProblem.class, (e, ctx) ->
                    ErrorMapping.respond(ctx, e.status(), e.code(), e.getMessage()));
            config.routes.exception(DamagedChunkException.class, (e, ctx) -> {
                LOG.warn("{} {}: refused, {}", ctx.method(), ctx.path(), e.getMessage());
                ErrorMapping.respond(ctx, 500, "damaged", "This server's copy of the chunk is damaged");
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                ErrorMapping.respond(ctx, 500, "internal", "Something went wrong on the server; the error was logged.");
            });
            routes.register(config);
        });
        app.start();
        return new SyncTreeServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
