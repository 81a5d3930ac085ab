package org.offlinecommons.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.json.JavalinJackson;
import java.util.Locale;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.store.Library;

/** The HTTP server: wires the routes onto Javalin and owns its lifecycle. */
public final class WebServer implements AutoCloseable {

    /** Where and how to listen. */
    public record Options(String bindAddress, int port) {
    }

    private final Javalin app;
    private final Options options;

    private WebServer(Javalin app, Options options) {
        this.app = app;
        this.options = options;
    }

    public static WebServer start(Library library, JobRunner jobs, Options options) {
        return start(library, jobs, options, Drives.defaults(library));
    }

    /** {@code drives}: where USB drives are looked for, and the reserve imports from them keep. */
    public static WebServer start(Library library, JobRunner jobs, Options options, Drives drives) {
        ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        ContentRoutes content = new ContentRoutes(library);
        ApiRoutes api = new ApiRoutes(library, jobs);
        Messages messages = Messages.load(Locale.getDefault());
        StaticAssets assets = StaticAssets.load();
        Templates templates = new Templates();
        PageRoutes pages = PageRoutes.create(library, messages, assets, templates);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = options.bindAddress();
            config.jetty.port = options.port();
            // A Pi-class box: enough threads for dozens of slow phones, not hundreds of stacks.
            config.jetty.threadPool = new QueuedThreadPool(64, 4, 60_000);
            config.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(16 * 1024);
                http.setSendServerVersion(false);
            });
            config.jsonMapper(new JavalinJackson(json, false));
            CompressionStrategy compression = new CompressionStrategy(null, new Gzip(6));
            compression.setDefaultMinSizeForCompression(1024);
            config.http.compressionStrategy = compression;
            config.routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
            ErrorMapping.register(config, pages.errorPages());
            api.register(config);
            content.register(config);
            assets.register(config);
            pages.register(config);
            new SyncRoutes(library, jobs).register(config);
            new DriveRoutes(drives, jobs).register(config);
        });
        app.start();
        return new WebServer(app, options);
    }

    public int port() {
        return app.port();
    }

    /** The URL people should open: the bind address, or localhost when listening everywhere. */
    public String url() {
        String host = options.bindAddress();
        if (host == null || host.equals("0.0.0.0") || host.equals("::")) {
            host = "localhost";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port() + "/";
    }

    @Override
    public void close() {
        app.stop();
    }
}
