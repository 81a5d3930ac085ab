package org.offlinecommons.web.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.offlinecommons.pack.DiskReserve;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.StoreException;

/**
 * {@code GET /healthz} for systemd watchdogs, monitoring and load balancers: 200 when the server
 * answers, can write to its library and has disk to spare; 503 naming what is wrong otherwise.
 */
public final class HealthRoutes {

    private static final String PROBE_KEY = "healthz.last_write";

    private final Library library;
    /** Below it, imports and syncs refuse to start, so the server is no longer healthy. */
    private final DiskReserve reserve;

    public HealthRoutes(Library library, DiskReserve reserve) {
        this.library = library;
        this.reserve = reserve;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/healthz", this::health);
    }

    private void health(Context ctx) {
        Map<String, Object> database = database();
        Map<String, Object> disk = disk();
        boolean healthy = (boolean) database.get("writable") && (boolean) database.get("readable")
                && (boolean) disk.get("ok");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "ok" : "unhealthy");
        body.put("serving", true);
        body.put("database", database);
        body.put("disk", disk);
        ctx.header("Cache-Control", "no-store");
        ctx.status(healthy ? 200 : 503).json(body);
    }

    private Map<String, Object> database() {
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
        // The write above touches one small table; pages need the pack table, so read it too:
        // a corrupt catalog must not look healthy while every page answers 503.
        boolean readable;
        try {
            library.catalog().packs();
            readable = true;
        } catch (StoreException e) {
            readable = false;
            database.putIfAbsent("error", e.getMessage());
        }
        database.put("readable", readable);
        // Damaged chunks are refused, not served: the server still works, but the admin must repair.
        try {
            database.put("damagedChunks", library.chunks().damaged().size());
        } catch (StoreException e) {
            database.put("damagedChunks", -1);
        }
        return database;
    }

    /** Healthy while the free space is at least the reserve: below it, imports and syncs are refused. */
    private Map<String, Object> disk() {
        Map<String, Object> disk = new LinkedHashMap<>();
        long free = DiskReserve.usableBytes(library.dataDir());
        if (free < 0) {
            disk.put("error", "The free space of " + library.dataDir() + " cannot be read");
        } else {
            disk.put("freeBytes", free);
        }
        disk.put("minimumBytes", reserve.bytes());
        disk.put("ok", free >= reserve.bytes());
        return disk;
    }
}
