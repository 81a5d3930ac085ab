package org.offlinecommons.web.drives;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.offlinecommons.app.ExportJobs;
import org.offlinecommons.app.Services;
import org.offlinecommons.drive.DriveImports;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.web.Layout;
import org.offlinecommons.web.Messages;
import org.offlinecommons.web.StaticAssets;
import org.offlinecommons.web.Templates;
import org.offlinecommons.web.http.AdminGate;
import org.offlinecommons.web.http.ErrorMapping;
import org.offlinecommons.web.reading.PageRoutes;

/**
 * The admin's pages for USB drives. "Import from USB drive" lists every drive and the inbox,
 * every pack zip on them and what importing it would do; the admin ticks packs and watches one
 * job per pack. "Export to USB drive" writes ticked packs to a chosen drive and lists what was
 * written and checked. Plain forms (token as a field, post-redirect-get) that work without
 * JavaScript; a small script only follows running jobs in place. The decisions are the drive
 * package's; these handlers put them into words.
 */
public final class DrivePages {

    public static final String IMPORT_PATH = "/admin/drives";
    public static final String EXPORT_PATH = "/admin/export";
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{16}");
    /** More than anyone ticks at once; keeps a hand-made URL from asking for thousands. */
    private static final int MAX_JOBS = 100;

    private final Drives drives;
    private final DriveImports imports;
    private final ExportJobs exports;
    private final Messages t;
    private final Templates templates;
    private final AdminGate gate;
    private final DriveScreens screens;

    public DrivePages(Services services, Messages messages, Layout base, Templates templates, AdminGate gate,
               StaticAssets assets) {
        this.drives = services.drives();
        this.imports = services.driveImports();
        this.exports = services.exports();
        this.t = messages;
        this.templates = templates;
        this.gate = gate;
        this.screens = new DriveScreens(services, messages, base, assets);
    }

    public void register(JavalinConfig config) {
        config.routes.get(IMPORT_PATH, this::importPage);
        config.routes.post(IMPORT_PATH, this::importForm);
        config.routes.get(EXPORT_PATH, this::exportPage);
        config.routes.post(EXPORT_PATH, this::exportForm);
    }

    // --- Import from USB drive

    private void importPage(Context ctx) {
        renderImport(ctx, jobIds(ctx), null, null);
    }

    private void importForm(Context ctx) {
        List<String> paths = ctx.formParams("path");
        if (paths.isEmpty()) {
            ctx.status(400);
            renderImport(ctx, List.of(), t.get("admin.drives.noneTicked"), Set.of());
            return;
        }
        List<DriveImports.Started> started;
        try {
            List<Path> files = paths.stream().map(drives::packOnDrive).toList();
            started = imports.start(files);
        } catch (PackException e) {
            // The admin stays on the page, with the same ticks, and reads which pack and why.
            gate.audit(ctx, "import from drive refused", e.getMessage());
            ctx.status(ErrorMapping.status(e));
            renderImport(ctx, List.of(), ErrorMapping.said(e, t), new HashSet<>(paths));
            return;
        }
        gate.audit(ctx, "import from drive", started.stream().map(s -> s.pack().file() + " ('" + s.pack().packId()
                + "' version " + s.pack().version() + ", job " + s.job().id() + ")").collect(Collectors.joining(", ")));
        ctx.redirect(IMPORT_PATH + "?jobs=" + started.stream().map(s -> s.job().id()).collect(Collectors.joining(",")),
                HttpStatus.SEE_OTHER);
    }







    /** @param ticked the paths the admin ticked, or null for the page's own choice */
    private void renderImport(Context ctx, List<String> jobIds, String error, Set<String> ticked) {
        page(ctx, "adminDrives.jte", screens.importView(gate.formToken(ctx).orElse(null), ctx.path(), jobIds, error,
                ticked));
    }

    // --- Export to USB drive

    private void exportPage(Context ctx) {
        renderExport(ctx, jobIds(ctx), null, new DriveScreens.ExportChoice(Set.of(), null, "", true, false));
    }


    private void exportForm(Context ctx) {
        String folder = Optional.ofNullable(ctx.formParam("folder")).orElse("").strip();
        DriveScreens.ExportChoice choice = new DriveScreens.ExportChoice(new HashSet<>(ctx.formParams("pack")),
                ctx.formParam("target"), folder, ctx.formParam("zips") != null, ctx.formParam("mirror") != null);
        List<String> ids = ctx.formParams("pack");
        String target = folder.isEmpty() ? choice.target() : folder;
        String problem = exportProblem(ids, target, choice);
        if (problem != null) {
            ctx.status(400);
            renderExport(ctx, List.of(), problem, choice);
            return;
        }
        try {
            ExportJobs.Started started = exports.start(ids, target, choice.zips(), choice.mirror());
            gate.audit(ctx, "export to drive", exported(ids, choice, started));
            ctx.redirect(EXPORT_PATH + "?jobs=" + started.job().id(), HttpStatus.SEE_OTHER);
        } catch (PackException e) {
            gate.audit(ctx, "export to drive refused", e.getMessage());
            ctx.status(ErrorMapping.status(e));
            renderExport(ctx, List.of(), ErrorMapping.said(e, t), choice);
        }
    }



    private static String exported(List<String> ids, DriveScreens.ExportChoice choice, ExportJobs.Started started) {
        return String.join(", ", ids) + " to " + started.target() + (choice.zips() ? " (pack zips)" : "")
                + (choice.mirror() ? " (mirror tree)" : "") + ", job " + started.job().id();
    }

    /** What is missing from the export form, in words; null when nothing is. */
    private String exportProblem(List<String> ids, String target, DriveScreens.ExportChoice choice) {
        return ids.isEmpty() ? t.get("admin.export.noneTicked")
                : target == null || target.isBlank() ? t.get("admin.export.noTarget")
                : !choice.zips() && !choice.mirror() ? t.get("admin.export.nothingToWrite") : null;
    }

    private void renderExport(Context ctx, List<String> jobIds, String error, DriveScreens.ExportChoice choice) {
        page(ctx, "adminExport.jte", screens.exportView(gate.formToken(ctx).orElse(null), ctx.path(), jobIds, error,
                choice));
    }

    // --- Shared

    /** The jobs named in {@code ?jobs=}, as a page that started them links to itself. */
    private static List<String> jobIds(Context ctx) {
        String param = ctx.queryParam("jobs");
        if (param == null || param.isBlank()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (String id : param.split(",")) {
            if (JOB_ID.matcher(id).matches() && ids.size() < MAX_JOBS && !ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }




    private void page(Context ctx, String template, Object view) {
        ctx.contentType(PageRoutes.HTML).result(templates.render(template, view));
    }
}
