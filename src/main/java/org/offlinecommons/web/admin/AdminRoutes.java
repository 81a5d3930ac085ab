package org.offlinecommons.web.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.offlinecommons.admin.AdminLogins;
import org.offlinecommons.admin.AdminSession;
import org.offlinecommons.admin.Audit;
import org.offlinecommons.admin.PackUploads;
import org.offlinecommons.admin.UploadFile;
import org.offlinecommons.admin.UploadTooLargeException;
import org.offlinecommons.app.LibraryHealing;
import org.offlinecommons.job.Job;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.web.AdminViews;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.Layout;
import org.offlinecommons.web.Messages;
import org.offlinecommons.web.Templates;
import org.offlinecommons.web.http.AdminGate;
import org.offlinecommons.web.http.ErrorMapping;
import org.offlinecommons.web.http.JsonBody;
import org.offlinecommons.web.http.MultipartUpload;
import org.offlinecommons.web.http.SecurityHeaders;
import org.offlinecommons.web.reading.PageRoutes;

/**
 * The admin's side: logging in and out, the dashboard (upload, delete, jobs, what was done),
 * and the API to add and remove packs ({@code POST /api/v1/packs}, {@code DELETE
 * /api/v1/packs/{id}}). Who may call what is decided before these run, by {@link AdminGate}.
 * Pages work without JavaScript: plain forms, and a jobs page that reloads itself.
 */
public final class AdminRoutes {

    private static final int REFRESH_SECONDS = 2;

    private final Library library;
    private final Messages t;
    private final Templates templates;
    private final AdminGate gate;
    private final AdminLogins logins;
    private final PackUploads uploads;
    private final AdminScreens screens;
    private final LibraryHealing healing;

    public AdminRoutes(Library library, JobRunner jobs, Messages messages, Layout base, Templates templates,
                       AdminGate gate, AdminLogins logins, Audit audit, PackUploads uploads, LibraryHealing healing) {
        this.library = library;
        this.t = messages;
        this.templates = templates;
        this.gate = gate;
        this.logins = logins;
        this.uploads = uploads;
        this.healing = healing;
        this.screens = new AdminScreens(library, jobs, audit, healing.scrub(), uploads.maxBytes(), messages, base);
    }

    public void register(JavalinConfig config) {
        config.routes.get(AdminGate.LOGIN_PATH, this::loginPage);
        config.routes.post(AdminGate.LOGIN_PATH, this::login);
        config.routes.post("/admin/logout", this::logout);
        config.routes.get("/admin", this::dashboard);
        config.routes.get("/admin/jobs", this::jobsPage);
        config.routes.post("/admin/packs", this::uploadForm);
        config.routes.get("/admin/packs/{id}/delete", this::confirmDelete);
        config.routes.post("/admin/packs/{id}/delete", this::deleteForm);
        config.routes.post(AdminScreens.REPAIR_PATH, this::repairForm);
        config.routes.get("/api/v1/admin/session", this::sessionJson);
        config.routes.post("/api/v1/packs", this::uploadApi);
        config.routes.delete("/api/v1/packs/{id}", this::deleteApi);
    }

    // --- Logging in and out

    private void loginPage(Context ctx) {
        if (!gate.loginRequired() || gate.session(ctx).isPresent()) {
            ctx.redirect(nextPage(ctx.queryParam("next")), io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        page(ctx, "adminLogin.jte", screens.login(nextPage(ctx.queryParam("next")), null));
    }

    private void login(Context ctx) {
        boolean json = JsonBody.isJson(ctx);
        String next = json ? "/admin" : nextPage(ctx.formParam("next"));
        if (!gate.loginRequired()) {
            ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        String given = json ? passwordFromJson(ctx) : ctx.formParam("password");
        AdminLogins.Outcome outcome = logins.attempt(AdminGate.address(ctx), given);
        switch (outcome.result()) {
            case WAIT -> {
                ctx.header("Retry-After", Long.toString(outcome.waitSeconds()));
                loginRefused(ctx, json, next, 429, "too_many_tries", t.format("admin.login.wait",
                        outcome.waitSeconds()));
            }
            case BUSY -> loginRefused(ctx, json, next, 503, "busy", t.get("admin.login.busy"));
            case WRONG -> loginRefused(ctx, json, next, 401, "wrong_password", t.get("admin.login.wrong"));
            case OK -> loggedIn(ctx, json, next);
        }
    }

    private void loggedIn(Context ctx, boolean json, String next) {
        AdminSession session = gate.logIn(ctx);
        if (json) {
            ctx.header("Cache-Control", "no-store");
            ctx.json(Map.of("csrfToken", session.csrfToken(), "header", AdminGate.CSRF_HEADER));
        } else {
            ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    private void loginRefused(Context ctx, boolean json, String next, int status, String code, String message) {
        if (json) {
            ErrorMapping.respond(ctx, status, code, message);
            return;
        }
        ctx.status(status);
        page(ctx, "adminLogin.jte", screens.login(next, message));
    }

    private void logout(Context ctx) {
        if (gate.session(ctx).isPresent()) {
            gate.audit(ctx, "log out", "admin session closed");
        }
        gate.logOut(ctx);
        if (JsonBody.isJson(ctx)) {
            ctx.status(204);
        } else {
            ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    private void sessionJson(Context ctx) {
        AdminSession session = gate.session(ctx)
                .orElseThrow(() -> HttpProblem.said(401, "login_required", "problem.loginRequired"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("csrfToken", session.csrfToken());
        body.put("header", AdminGate.CSRF_HEADER);
        body.put("address", session.address());
        body.put("since", session.createdAt().toString());
        ctx.header("Cache-Control", "no-store");
        ctx.json(body);
    }

    // --- Pages

    private void dashboard(Context ctx) {
        renderDashboard(ctx, notice(ctx), null);
    }

    private void renderDashboard(Context ctx, String notice, String error) {
        page(ctx, "adminDashboard.jte", screens.dashboard(csrf(ctx), notice, error));
    }

    private void jobsPage(Context ctx) {
        AdminViews.Jobs view = screens.jobs(csrf(ctx));
        if (view.refreshing()) {
            // A header, not a script: the page follows the jobs with JavaScript off too.
            ctx.header("Refresh", Integer.toString(REFRESH_SECONDS));
        }
        page(ctx, "adminJobs.jte", view);
    }

    private void confirmDelete(Context ctx) {
        page(ctx, "adminDelete.jte", screens.confirmDelete(pack(ctx.pathParam("id")), csrf(ctx)));
    }

    // --- Changes

    private void deleteForm(Context ctx) {
        PackRecord pack = delete(ctx, ctx.pathParam("id"));
        ctx.redirect("/admin?deleted=" + java.net.URLEncoder.encode(pack.title(), java.nio.charset.StandardCharsets.UTF_8),
                io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void deleteApi(Context ctx) {
        PackRecord pack = delete(ctx, ctx.pathParam("id"));
        ctx.json(Map.of("deleted", pack.id(), "version", pack.version(), "title", pack.title()));
    }

    private PackRecord delete(Context ctx, String id) {
        PackRecord pack = pack(id);
        if (!library.delete(id)) {
            throw HttpProblem.notFound("error.noPack", id);
        }
        gate.audit(ctx, "delete pack", "'" + pack.title() + "' (" + pack.id() + " version " + pack.version() + ", "
                + Sizes.human(pack.totalSize()) + ")");
        return pack;
    }

    /** Fetches damaged chunks again from every known peer, as a job; the jobs page follows it. */
    private void repairForm(Context ctx) {
        Job job = healing.repair();
        gate.audit(ctx, "repair library", "repair job " + job.id() + " from known peers");
        ctx.redirect("/admin/jobs", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void uploadForm(Context ctx) throws IOException {
        PackUploads.Started started;
        try {
            started = receive(ctx);
        } catch (PackException | UploadTooLargeException e) {
            // The admin stays on the page with the form, and reads why in plain words.
            ctx.status(e instanceof UploadTooLargeException ? 413 : ErrorMapping.status((PackException) e));
            if (!gate.tokenDeferred(ctx)) {
                gate.audit(ctx, "upload pack refused", e.getMessage());
            }
            renderDashboard(ctx, null, ErrorMapping.said(e, t));
            return;
        }
        ctx.redirect("/admin/jobs", io.javalin.http.HttpStatus.SEE_OTHER);
        logUpload(ctx, started);
    }

    private void uploadApi(Context ctx) throws IOException {
        PackUploads.Started started = receive(ctx);
        logUpload(ctx, started);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job", Map.of("id", started.job().id(), "url", "/api/v1/jobs/" + started.job().id()));
        body.put("pack", started.packId());
        body.put("version", started.version());
        body.put("bytes", started.bytes());
        ctx.status(202).json(body);
    }

    private void logUpload(Context ctx, PackUploads.Started s) {
        gate.audit(ctx, "upload pack", s.fileName() + " (" + Sizes.human(s.bytes()) + "): '" + s.title() + "' "
                + s.packId() + " version " + s.version() + ", import job " + s.job().id());
    }

    /**
     * Receives the body, a pack zip either raw or as the {@code pack} field of a form, onto disk
     * under the limit, and starts its import. Refused at once when the declared size is over it.
     */
    private PackUploads.Started receive(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > 0) {
            uploads.checkDeclaredSize(declared);
        }
        try (UploadFile file = store(ctx)) {
            if (file.size() == 0) {
                throw PackException.invalid(file.name() + ": the upload is empty");
            }
            return uploads.startImport(file);
        }
    }

    /** The body onto disk: a raw zip, or the {@code pack} field of a form after its token. */
    private UploadFile store(Context ctx) throws IOException {
        String type = ctx.contentType();
        UploadFile file;
        try (InputStream body = ctx.req().getInputStream()) {
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
                file = MultipartUpload.read(body, type, uploads, token -> {
                    if (gate.tokenDeferred(ctx)) {
                        gate.requireDeferredToken(ctx, token);
                    }
                });
            } else {
                file = uploads.create(Optional.ofNullable(ctx.queryParam("name")).orElse("upload.zip"));
                try {
                    file.writeAll(body);
                } catch (IOException | RuntimeException e) {
                    file.close();
                    throw e;
                }
            }
        }
        return file;
    }

    // --- Helpers

    private PackRecord pack(String id) {
        return library.catalog().pack(id)
                .orElseThrow(() -> HttpProblem.notFound("error.noPack", id));
    }

    private String csrf(Context ctx) {
        return gate.formToken(ctx).orElse(null);
    }

    private String notice(Context ctx) {
        return screens.notice(ctx.queryParam("deleted"));
    }

    private void page(Context ctx, String template, Object view) {
        ctx.contentType(PageRoutes.HTML).result(templates.render(template, view));
    }

    /** Only a path of this server's admin pages: a login link must not send the admin elsewhere. */
    public static String nextPage(String next) {
        if (next != null && (next.equals("/admin") || next.startsWith("/admin/")) && !next.startsWith("//")
                && !next.contains("\\") && SecurityHeaders.traversalProblem(next) == null
                && !next.startsWith(AdminGate.LOGIN_PATH)) {
            return next;
        }
        return "/admin";
    }

    private static String passwordFromJson(Context ctx) {
        JsonNode p = JsonBody.object(ctx).get("password");
        return p != null && p.isTextual() ? p.asText() : null;
    }
}
