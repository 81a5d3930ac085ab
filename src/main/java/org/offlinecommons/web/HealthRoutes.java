package org.offlinecommons.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.StoreException;

/**
 * {@code GET /healthz} for systemd watchdogs, monitoring and load balancers: 200 when the server
 * answers, can write to its library and has disk to spare; 503 naming what is wrong otherwise.
 */
final class HealthRoutes {

    /** Below this, imports refuse to start (the default reserve), so the server is no longer healthy. */
    static final long MIN_FREE_BYTES = 64L * 1024 * 1024;
    private static final String PROBE_KEY = "healthz.last_write";

    private final Library library;

    HealthRoutes(Library library) {
        this.library = library;
    }

    void register(JavalinConfig config) {
        config.routes.get("/healthz", this::health);
    }

    private void health(Context ctx) {
        Map<String, Object> database = new LinkedHashMap<>();
        boolean writable;
        try {
            // A real write through the writer connection: proves the file, its folder and the lock all work.
            library.putSetting(PROBE_KEY, Instant.now().toString());
            writable = true;
        } catch (StoreException e) {
            writable = false;
            database.put("error", e.getMessage());
        }
        database.put("writable", writable);

        Map<String, Object> disk = new LinkedHashMap<>();
        boolean diskOk;
        try {
            long free = Files.getFileStore(existing(library.dataDir())).getUsableSpace();
            diskOk = free >= MIN_FREE_BYTES;
            disk.put("freeBytes", free);
        } catch (IOException e) {
            diskOk = false;
            disk.put("error", e.getMessage());
        }
        disk.put("minimumBytes", MIN_FREE_BYTES);
        disk.put("ok", diskOk);

        boolean healthy = writable && diskOk;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "ok" : "unhealthy");
        body.put("serving", true);
        body.put("database", database);
        body.put("disk", disk);
        ctx.header("Cache-Control", "no-store");
        ctx.status(healthy ? 200 : 503).json(body);
    }

    private static Path existing(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? dir : p;
    }
}
