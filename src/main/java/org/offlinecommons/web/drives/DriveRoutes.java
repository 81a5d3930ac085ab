package org.offlinecommons.web.drives;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.offlinecommons.app.ExportJobs;
import org.offlinecommons.drive.DriveImports;
import org.offlinecommons.drive.DriveReport;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.drive.FoundPack;
import org.offlinecommons.job.Job;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.http.JsonBody;

/**
 * The JSON API for USB drives: what is on them, importing from them, exporting to them. The
 * work runs as jobs (watched through {@code /api/v1/jobs/{id}}); every request is checked
 * whole first, so a refused one starts nothing and says which file and why.
 */
public final class DriveRoutes {

    /** {@code {"paths": [...]}}: pack files as {@code GET /api/v1/drives} lists them. */
    public record ImportRequest(List<String> paths) {
    }

    /** {@code {"packs": [...], "target": "...", "mirror": false}}. */
    public record ExportRequest(List<String> packs, String target, Boolean zips, Boolean mirror) {
    }

    private final Drives drives;
    private final DriveImports imports;
    private final ExportJobs exports;

    public DriveRoutes(Drives drives, DriveImports imports, ExportJobs exports) {
        this.drives = drives;
        this.imports = imports;
        this.exports = exports;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/drives", this::list);
        config.routes.post("/api/v1/drives/import", this::startImport);
        config.routes.post("/api/v1/drives/export", this::startExport);
    }

    private void list(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DriveReport r : drives.scan()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("path", r.drive().path().toString());
            d.put("label", r.drive().label());
            d.put("inbox", r.drive().inbox());
            d.put("fileSystem", r.fileSystem());
            d.put("freeBytes", r.freeBytes());
            d.put("totalBytes", r.totalBytes());
            d.put("partial", r.partial());
            d.put("packs", r.packs().stream().map(DriveRoutes::pack).toList());
            out.add(d);
        }
        ctx.json(Map.of("drives", out));
    }

    private static Map<String, Object> pack(FoundPack p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", p.file().toString());
        m.put("file", p.fileName());
        m.put("fileBytes", p.fileBytes());
        m.put("modified", p.modified().toString());
        m.put("state", p.state().id());
        m.put("id", p.packId());
        m.put("version", p.packId() == null ? null : p.version());
        m.put("title", p.title());
        m.put("packBytes", p.packBytes());
        m.put("installedVersion", p.installedVersion() == 0 ? null : p.installedVersion());
        m.put("detail", p.detail());
        return m;
    }

    private void startImport(Context ctx) {
        ImportRequest request = JsonBody.as(ctx, ImportRequest.class, "{\"paths\": [\"/media/stick/pack.zip\"]}");
        if (request.paths() == null || request.paths().isEmpty()) {
            throw HttpProblem.badRequest("problem.drive.noPaths");
        }
        List<Path> files = request.paths().stream().map(drives::packOnDrive).toList();
        List<Map<String, Object>> started = new ArrayList<>();
        for (DriveImports.Started s : imports.start(files)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", s.pack().file().toString());
            m.put("file", s.pack().fileName());
            m.put("pack", s.pack().packId());
            m.put("version", s.pack().version());
            m.put("job", job(s.job()));
            started.add(m);
        }
        ctx.status(202).json(Map.of("jobs", started));
    }

    private void startExport(Context ctx) {
        ExportRequest request = JsonBody.as(ctx, ExportRequest.class,
                "{\"packs\": [\"pack-id\"], \"target\": \"/media/stick\", \"mirror\": false}");
        if (request.packs() == null || request.packs().isEmpty()) {
            throw HttpProblem.badRequest("problem.drive.noPacks");
        }
        if (request.target() == null || request.target().isBlank()) {
            throw HttpProblem.badRequest("problem.drive.noTarget");
        }
        boolean zips = request.zips() == null || request.zips();
        boolean mirror = request.mirror() != null && request.mirror();
        if (!zips && !mirror) {
            throw HttpProblem.badRequest("problem.drive.noKind");
        }
        ExportJobs.Started started = exports.start(request.packs(), request.target(), zips, mirror);
        ctx.status(202).json(Map.of("job", job(started.job()), "target", started.target().toString()));
    }

    private static Map<String, Object> job(Job job) {
        return Map.of("id", job.id(), "url", "/api/v1/jobs/" + job.id());
    }
}
