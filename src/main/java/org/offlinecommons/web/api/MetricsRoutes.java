package org.offlinecommons.web.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryScrub;
import org.offlinecommons.store.PackRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in Prometheus text format: requests by route and status with their latency,
 * bytes served, jobs (imports, syncs, exports) by outcome, and the library's size. Also the one
 * log line per request, at debug level.
 */
public final class MetricsRoutes {

    private static final Logger REQUESTS = LoggerFactory.getLogger("org.offlinecommons.web.requests");

    // One registry per server, not Micrometer's global one: tests run several servers in one JVM.
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    public MetricsRoutes(Library library, JobRunner jobs, LibraryScrub scrub) {
        Gauge.builder("offline_commons_library_packs", library, l -> l.catalog().packs().size())
                .description("Packs installed").register(registry);
        Gauge.builder("offline_commons_library_pack_bytes", library,
                        l -> l.catalog().packs().stream().mapToLong(PackRecord::totalSize).sum())
                .description("Total size of the installed packs' files").baseUnit("bytes").register(registry);
        Gauge.builder("offline_commons_library_database_bytes", library, MetricsRoutes::databaseBytes)
                .description("Size of the library's database file").baseUnit("bytes").register(registry);
        // The scrub: where the pass running now stands, and when the last whole one ended.
        Gauge.builder("offline_commons_scrub_checked", scrub, s -> s.status().doneBytes())
                .description("Bytes checked by the current scrub pass").baseUnit("bytes").register(registry);
        Gauge.builder("offline_commons_scrub_total", scrub, s -> s.status().totalBytes())
                .description("Bytes the current scrub pass checks in all").baseUnit("bytes").register(registry);
        Gauge.builder("offline_commons_scrub_damaged_found", scrub, s -> s.status().damagedFound())
                .description("Damaged chunks the current scrub pass found").register(registry);
        Gauge.builder("offline_commons_scrub_last_pass_finished", scrub, s -> s.status().lastFinishedAt() / 1000d)
                .description("When the last whole scrub pass ended (0: none yet)").baseUnit("seconds")
                .register(registry);
        Gauge.builder("offline_commons_library_damaged_chunks", library, l -> l.chunks().damaged().size())
                .description("Stored chunks recorded as damaged, not yet repaired").register(registry);
        for (String kind : new String[] {"import", "sync", "export", "repair"}) {
            for (String outcome : new String[] {"succeeded", "failed"}) {
                jobCounter(kind, outcome);
            }
        }
        jobs.addListener((kind, succeeded) -> jobCounter(kind, succeeded ? "succeeded" : "failed").increment());
    }

    public void register(JavalinConfig config) {
        config.jetty.modifyServer(server -> {
            StatisticsHandler stats = server.getDescendant(StatisticsHandler.class);
            if (stats != null) {
                FunctionCounter.builder("offline_commons_http_served", stats, StatisticsHandler::getBytesWritten)
                        .description("Bytes written in HTTP responses").baseUnit("bytes").register(registry);
            }
        });
        // Runs once the response body is written, so the latency covers streaming a file too.
        config.requestLogger.http(this::record);
        config.routes.get("/metrics", this::scrape);
    }

    private void scrape(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }

    private void record(Context ctx, Float ms) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        // Route patterns, never raw paths: a label per URL would grow without bound.
        String route = endpoint != null ? endpoint.path : ctx.statusCode() == 404 ? "unmatched" : "static";
        timer(ctx.method().name(), route, ctx.statusCode()).record((long) (ms * 1_000_000d), TimeUnit.NANOSECONDS);
        if (REQUESTS.isDebugEnabled()) {
            REQUESTS.debug("{} {} {} {} ms {}", ctx.method().name(), ctx.path(), ctx.statusCode(),
                    String.format(java.util.Locale.ROOT, "%.1f", ms), ctx.ip());
        }
    }

    /** The same, for requests answered before Javalin ({@link PackFileHandler}). */
    public void record(String method, String route, int status, long nanos, String path, Request request) {
        timer(method, route, status).record(nanos, TimeUnit.NANOSECONDS);
        if (REQUESTS.isDebugEnabled()) {
            REQUESTS.debug("{} {} {} {} ms {}", method, path, status,
                    String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6), Request.getRemoteAddr(request));
        }
    }

    private record TimerKey(String method, String route, int status) {
    }

    /** Looked up once per route and status: building the meter's id on every request costs more than the rest. */
    private Timer timer(String method, String route, int status) {
        return timers.computeIfAbsent(new TimerKey(method, route, status), key -> Timer.builder("http_server_requests")
                .description("HTTP requests by route and status")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry));
    }

    private Counter jobCounter(String kind, String outcome) {
        return Counter.builder("offline_commons_jobs").description("Background jobs finished, by kind and outcome")
                .tag("kind", kind).tag("outcome", outcome).register(registry);
    }

    private static double databaseBytes(Library library) {
        try {
            return Files.size(library.databaseFile());
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
