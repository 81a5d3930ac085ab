package org.offlinecommons.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.offlinecommons.admin.PackUploads;
import org.offlinecommons.app.Services;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.store.Library;
import org.offlinecommons.web.admin.AdminRoutes;
import org.offlinecommons.web.api.ApiRoutes;
import org.offlinecommons.web.api.HealthRoutes;
import org.offlinecommons.web.api.MetricsRoutes;
import org.offlinecommons.web.content.ContentRoutes;
import org.offlinecommons.web.download.DownloadRoutes;
import org.offlinecommons.web.opds.OpdsRoutes;
import org.offlinecommons.web.content.InlineFileHandler;
import org.offlinecommons.web.content.PackFileHandler;
import org.offlinecommons.web.content.PackFiles;
import org.offlinecommons.web.drives.DrivePages;
import org.offlinecommons.web.drives.DriveRoutes;
import org.offlinecommons.web.http.AdminGate;
import org.offlinecommons.web.http.ErrorMapping;
import org.offlinecommons.web.http.LanguageChoice;
import org.offlinecommons.web.http.PemKeyStore;
import org.offlinecommons.web.http.SecurityHeaders;
import org.offlinecommons.web.peers.PeerRoutes;
import org.offlinecommons.web.reading.PageRoutes;
import org.offlinecommons.web.sync.SyncRoutes;
import org.offlinecommons.web.sync.SyncTreeRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: wires the routes onto Javalin and owns its lifecycle. */
public final class WebServer implements AutoCloseable {

    /**
     * Where and how to listen, and who may change the library.
     *
     * @param access         {@link Access#ADMIN_LOGIN} for any real server
     * @param maxUploadBytes the largest pack upload accepted
     * @param syncToken      the bearer token peers must send to /sync/v1/, or null for an open sync tree
     * @param tls            HTTPS certificate and key, or null for plain HTTP
     * @param idleTimeout    how long a connection may stay silent (a slow or stalled client) before it is closed
     * @param language       the interface's language when the visitor's browser asks for none we have, or null
     *                       for the system's
     */
    public record Options(String bindAddress, int port, Access access, long maxUploadBytes, String syncToken,
                          Tls tls, Duration idleTimeout, Locale language) {

        public Options(String bindAddress, int port, Access access, long maxUploadBytes, String syncToken,
                       Tls tls, Duration idleTimeout) {
            this(bindAddress, port, access, maxUploadBytes, syncToken, tls, idleTimeout, null);
        }

        /** Plain HTTP with the admin login, as {@code serve} runs. */
        public Options(String bindAddress, int port) {
            this(bindAddress, port, Access.ADMIN_LOGIN, PackUploads.DEFAULT_MAX_BYTES, null, null,
                    DEFAULT_IDLE_TIMEOUT);
        }

        /** Plain HTTP and no admin login at all: only for servers embedded in tests, said out loud. */
        public static Options withoutLogin(String bindAddress, int port) {
            return new Options(bindAddress, port, Access.OPEN, PackUploads.DEFAULT_MAX_BYTES, null, null,
                    DEFAULT_IDLE_TIMEOUT);
        }

        public Options withAdminLogin() {
            return new Options(bindAddress, port, Access.ADMIN_LOGIN, maxUploadBytes, syncToken, tls, idleTimeout,
                    language);
        }

        public Options withMaxUpload(long bytes) {
            return new Options(bindAddress, port, access, bytes, syncToken, tls, idleTimeout, language);
        }

        public Options withSyncToken(String token) {
            return new Options(bindAddress, port, access, maxUploadBytes, token, tls, idleTimeout, language);
        }

        public Options withTls(Path certificate, Path privateKey) {
            return new Options(bindAddress, port, access, maxUploadBytes, syncToken, new Tls(certificate, privateKey),
                    idleTimeout, language);
        }

        public Options withIdleTimeout(Duration timeout) {
            return new Options(bindAddress, port, access, maxUploadBytes, syncToken, tls, timeout, language);
        }

        public Options withLanguage(Locale defaultLanguage) {
            return new Options(bindAddress, port, access, maxUploadBytes, syncToken, tls, idleTimeout, defaultLanguage);
        }
    }

    /** Who may change the library. */
    public enum Access {
        /** Changes need the admin's session (see {@link AdminGate}); what {@code serve} always uses. */
        ADMIN_LOGIN,
        /** Anyone on the network may change the library: only for servers embedded in tests. */
        OPEN
    }

    /** PEM files: the certificate chain and its unencrypted private key. */
    public record Tls(Path certificate, Path privateKey) {
    }

    /** A route as registered, for tests that must cover every endpoint. */
    record Endpoint(String method, String path) {
    }

    /** Long enough for a phone on a crowded access point, short enough to shed stalled connections. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /**
     * Javalin copies every result to the response through a new buffer of this size, which it
     * otherwise takes from Jetty's output buffer (32 KiB): under a flood of refused searches that
     * buffer was most of what the server allocated. Jetty still gathers the copies into its own
     * pooled buffer before writing to the socket.
     */
    private static final int RESULT_COPY_BUFFER = 8 * 1024;

    /** How long stopping waits for requests in flight (a download in progress) before cutting them off. */
    public static final long STOP_TIMEOUT_MILLIS = 20_000;

    private final Javalin app;
    private final Options options;
    private final List<Endpoint> endpoints;
    private final Services services;
    /** The services this server built for itself (the test entry points), closed with it; else null. */
    private Services owned;

    private WebServer(Javalin app, Options options, List<Endpoint> endpoints, Services services) {
        this.app = app;
        this.options = options;
        this.endpoints = List.copyOf(endpoints);
        this.services = services;
    }

    /** A server for tests: its services built from the library, the jobs and the usual drive settings. */
    public static WebServer start(Library library, JobRunner jobs, Options options) {
        return start(library, jobs, options, Drives.defaults(library));
    }

    /** A server for tests: {@code drives} says where USB drives are looked for, and the reserve. */
    public static WebServer start(Library library, JobRunner jobs, Options options, Drives drives) {
        Services services = Services.create(library, jobs, drives, options.maxUploadBytes());
        try {
            WebServer server = start(services, options);
            server.owned = services;
            return server;
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    /**
     * Serves the library through {@code services}, built once by whoever starts the server, which
     * also closes them (after this server).
     *
     * @throws IllegalArgumentException when the TLS files cannot be used
     */
    public static WebServer start(Services services, Options options) {
        KeyStore keys = options.tls() == null ? null
                : PemKeyStore.load(options.tls().certificate(), options.tls().privateKey());
        Parts parts = parts(services, options);
        List<Endpoint> endpoints = new ArrayList<>();
        // A Pi-class box: enough threads for dozens of slow phones, not hundreds of stacks.
        QueuedThreadPool pool = new QueuedThreadPool(64, 4, 60_000);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.events.handlerAdded(h -> {
                if (h.getHttpMethod().isHttpMethod()) {
                    endpoints.add(new Endpoint(h.getHttpMethod().name(), h.getPath()));
                }
            });
            jetty(config, options, keys, pool, parts);
            config.jsonMapper(new JavalinJackson(parts.json(), false));
            CompressionStrategy compression = new CompressionStrategy(null, new Gzip(6));
            compression.setDefaultMinSizeForCompression(1024);
            config.http.compressionStrategy = compression;
            config.http.responseBufferSize = RESULT_COPY_BUFFER;
            routes(config, services, parts);
        });
        app.start();
        return new WebServer(app, options, endpoints, services);
    }

    /** What several routes or handlers share, built once per server. */
    private record Parts(ObjectMapper json, PackFiles packFiles, MetricsRoutes metrics, Messages messages,
                         StaticAssets assets, Templates templates, PageRoutes pages, Layout base, AdminGate gate,
                         LanguageChoice languages) {
    }

    private static Parts parts(Services services, Options options) {
        Library library = services.library();
        Languages languages = Languages.load(options.language() != null ? options.language() : Locale.getDefault());
        // Built once, these words speak each request's language (LanguageChoice picks it).
        Messages messages = Messages.perRequest(languages);
        Messages.warmUp(languages);
        StaticAssets assets = StaticAssets.load();
        Templates templates = new Templates();
        boolean loginRequired = options.access() == Access.ADMIN_LOGIN;
        if (!loginRequired) {
            LOG.warn("The admin login is off: anyone on the network may change this library");
        }
        AdminGate gate = new AdminGate(services.sessions(), services.password(), services.audit(), services.grants(),
                loginRequired, options.syncToken());
        return new Parts(new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS), new PackFiles(library),
                new MetricsRoutes(library, services.jobs(), services.healing().scrub()), messages, assets, templates,
                PageRoutes.create(library, messages, assets, templates, services.downloads().shelf()),
                PageRoutes.baseLayout(messages, assets), gate, new LanguageChoice(languages));
    }

    private static void jetty(JavalinConfig config, Options options, KeyStore keys, QueuedThreadPool pool,
                              Parts parts) {
        // Our own connector, for the idle timeout and HTTPS (Javalin's jetty.host/port do not apply to it).
        config.jetty.addConnector((server, http) -> connector(server, http, options, keys));
        config.jetty.threadPool = pool;
        // Stopping closes the listening socket first, then lets requests in flight finish, within a bound.
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(STOP_TIMEOUT_MILLIS);
            server.insertHandler(new GracefulHandler());
            // Innermost, so statistics and graceful stop still see its requests; Javalin's servlet goes below it.
            PackFileHandler packFileHandler = new PackFileHandler(parts.packFiles(), parts.metrics(), parts.json(),
                    parts.messages());
            innermost(server).setHandler(packFileHandler);
            if (keys == null) {
                // Outermost, answering from memory on the selector thread. Not over TLS, where each
                // handshake is milliseconds of CPU that the pool spreads over the cores.
                server.insertHandler(new InlineFileHandler(parts.packFiles(), packFileHandler, pool));
            }
        });
        config.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(16 * 1024);
            http.setSendServerVersion(false);
            // Jetty's header cache is a table of ~64 KiB per connection: 2,000 open connections
            // filled half the heap with them and the collector then ran most of the time
            // (docs/performance.md, "Fair under load").
            http.setHeaderCacheSize(0);
        });
    }

    private static void routes(JavalinConfig config, Services services, Parts p) {
        Library library = services.library();
        // Every request, before any route: its language (so even a refusal is in words the visitor
        // reads), browser defences, then the URL, then who is asking.
        p.languages().register(config);
        config.routes.before(SecurityHeaders::apply);
        config.routes.before(SecurityHeaders::refuseTraversal);
        config.routes.before(p.gate()::check);
        config.routes.after(p.gate()::auditChange);
        ErrorMapping.register(config, p.pages().errorPages());
        new AdminRoutes(library, services.jobs(), p.messages(), p.base(), p.templates(), p.gate(), services.logins(),
                services.audit(), services.uploads(), services.healing()).register(config);
        new ApiRoutes(library, services.jobs(), p.json(), services.downloads().shelf()).register(config);
        new ContentRoutes(library, p.packFiles()).register(config);
        p.assets().register(config);
        p.pages().register(config);
        new SyncTreeRoutes(library, services.tree()).register(config);
        new SyncRoutes(services.pulls()).register(config);
        new DriveRoutes(services.drives(), services.driveImports(), services.exports()).register(config);
        new DrivePages(services, p.messages(), p.base(), p.templates(), p.gate(), p.assets()).register(config);
        new HealthRoutes(library, services.reserve()).register(config);
        new DownloadRoutes(services.downloads()).register(config);
        new OpdsRoutes(library, services.downloads().shelf()).register(config);
        p.metrics().register(config);
        new PeerRoutes(services.peers(), services.pulls(), p.gate(), p.messages(), p.base(), p.templates())
                .register(config);
    }

    private static Handler.Wrapper innermost(Server server) {
        Handler.Wrapper wrapper = server;
        while (wrapper.getHandler() instanceof Handler.Wrapper inner) {
            wrapper = inner;
        }
        return wrapper;
    }

    private static ServerConnector connector(Server server, HttpConfiguration http, Options options, KeyStore keys) {
        ServerConnector connector;
        if (keys == null) {
            // One selector per core, like nginx's workers: with InlineFileHandler they send the pages
            // themselves (Jetty's default of one per two cores left a 2-core box's second core idle:
            // 30 KB page 26k -> 31k req/s, docs/performance.md "Pages").
            connector = new ServerConnector(server, -1, Runtime.getRuntime().availableProcessors(),
                    new HttpConnectionFactory(http));
        } else {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStore(keys);
            tls.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Schools reach the server by its address as often as by name; the certificate may name neither.
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                    new HttpConnectionFactory(https));
        }
        connector.setHost(options.bindAddress());
        connector.setPort(options.port());
        connector.setIdleTimeout(options.idleTimeout().toMillis());
        return connector;
    }

    /** Every route, as registered: tests walk them to check that each change needs the admin. */
    List<Endpoint> endpoints() {
        return endpoints;
    }

    /** What this server calls, for tests that must reach a use case beside HTTP. */
    Services services() {
        return services;
    }

    /** "http" or "https": how peers reach this server. */
    public String scheme() {
        return options.tls() == null ? "http" : "https";
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
        return (options.tls() == null ? "http://" : "https://") + host + ":" + port() + "/";
    }

    @Override
    public void close() {
        app.stop();
        if (owned != null) {
            owned.close();
        }
    }
}
