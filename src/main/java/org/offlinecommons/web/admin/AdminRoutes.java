package org.offlinecommons.web.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.offlinecommons.admin.AdminLogins;
import org.offlinecommons.admin.AdminSession;
import org.offlinecommons.admin.Audit;
import org.offlinecommons.admin.PackUploads;
import org.offlinecommons.admin.UploadFile;
import org.offlinecommons.admin.UploadTooLargeException;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.AuditLog;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.sync.SyncTree;
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

    private static final int DASHBOARD_JOBS = 5;
    private static final int DASHBOARD_AUDIT = 15;
    private static final int REFRESH_SECONDS = 2;

    private final Library library;
    private final JobRunner jobs;
    private final Messages t;
    private final Layout base;
    private final Templates templates;
    private final AdminGate gate;
    private final AdminLogins logins;
    private final Audit audit;
    private final PackUploads uploads;

    public AdminRoutes(Library library, JobRunner jobs, Messages messages, Layout base, Templates templates,
                       AdminGate gate, AdminLogins logins, Audit audit, PackUploads uploads) {
        this.library = library;
        this.jobs = jobs;
        this.t = messages;
        this.base = base;
        this.templates = templates;
        this.gate = gate;
        this.logins = logins;
        this.audit = audit;
        this.uploads = uploads;
    }

    /** The request's language's short date (made per page: the language differs by request). */
    private DateTimeFormatter dates() {
        return DateTimeFormatter.ofPattern(t.get("date.short"), t.locale()).withZone(ZoneId.systemDefault());
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
        page(ctx, "adminLogin.jte", new AdminViews.Login(layout(t.get("admin.login.title"), "login", null),
                nextPage(ctx.queryParam("next")), null));
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
        page(ctx, "adminLogin.jte", new AdminViews.Login(layout(t.get("admin.login.title"), "login", null), next,
                message));
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
                .orElseThrow(() -> new HttpProblem(401, "login_required", "There is no admin session"));
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
        String csrf = csrf(ctx);
        List<AdminViews.PackRow> packs = new ArrayList<>();
        for (PackRecord p : library.catalog().packs()) {
            packs.add(new AdminViews.PackRow(p.id(), p.title(), t.format("admin.packs.facts", p.version(),
                    t.size(p.totalSize()), p.itemCount()), "/admin/packs/" + p.id() + "/delete"));
        }
        List<AdminViews.AuditRow> actions = new ArrayList<>();
        DateTimeFormatter dates = dates();
        for (AuditLog.Entry e : audit.recent(DASHBOARD_AUDIT)) {
            actions.add(new AdminViews.AuditRow(dates.format(Instant.ofEpochMilli(e.at())), e.address(), e.action(),
                    e.detail()));
        }
        List<AdminViews.Link> links = List.of(
                new AdminViews.Link("/api/v1/drives", "/api/v1/drives", t.get("admin.links.drives")),
                new AdminViews.Link("/" + SyncTree.CATALOG, "/" + SyncTree.CATALOG, t.get("admin.links.sync")),
                new AdminViews.Link("/api/v1/jobs", "/api/v1/jobs", t.get("admin.links.jobs")));
        page(ctx, "adminDashboard.jte", new AdminViews.Dashboard(layout(t.get("admin.title"), "dashboard", csrf), csrf,
                notice, error, t.format("admin.upload.hint", t.size(uploads.maxBytes())), packs,
                jobRows(DASHBOARD_JOBS), actions, links));
    }

    private void jobsPage(Context ctx) {
        List<AdminViews.JobRow> rows = jobRows(Integer.MAX_VALUE);
        boolean running = jobs.recent().stream().anyMatch(j -> !j.state().finished());
        if (running) {
            // A header, not a script: the page follows the jobs with JavaScript off too.
            ctx.header("Refresh", Integer.toString(REFRESH_SECONDS));
        }
        page(ctx, "adminJobs.jte", new AdminViews.Jobs(layout(t.get("admin.jobs.title"), "jobs", csrf(ctx)), rows,
                running));
    }

    private List<AdminViews.JobRow> jobRows(int limit) {
        List<AdminViews.JobRow> rows = new ArrayList<>();
        for (JobStatus j : jobs.recent()) {
            if (rows.size() >= limit) {
                break;
            }
            rows.add(jobRow(t, j));
        }
        return rows;
    }

    /** A job in words, as the job lists of the admin pages show it. */
    public static AdminViews.JobRow jobRow(Messages t, JobStatus j) {
        String state = t.get("admin.job." + j.state().name().toLowerCase(Locale.ROOT));
        int percent = j.totalBytes() > 0 || j.state() == JobState.SUCCEEDED ? j.percent() : -1;
        String progress = null;
        if (j.totalBytes() > 0) {
            progress = t.format("admin.job.bytes", t.size(j.doneBytes()), t.size(j.totalBytes()));
            if (j.state() == JobState.RUNNING && j.rateBytesPerSecond() > 0) {
                progress += " · " + t.format("admin.job.rate", t.size((long) j.rateBytesPerSecond()));
                if (j.secondsLeft() >= 0) {
                    progress += " · " + timeLeft(t, j.secondsLeft());
                }
            }
        }
        return new AdminViews.JobRow(j.title(), state, j.state().name().toLowerCase(Locale.ROOT), percent, progress,
                j.message() == null || j.message().isEmpty() ? null : j.message(), j.error());
    }

    private static String timeLeft(Messages t, long seconds) {
        return seconds < 90 ? t.format("admin.job.secondsLeft", seconds)
                : t.format("admin.job.minutesLeft", (seconds + 30) / 60);
    }

    private void confirmDelete(Context ctx) {
        PackRecord pack = pack(ctx.pathParam("id"));
        String csrf = csrf(ctx);
        List<AdminViews.Fact> facts = List.of(
                new AdminViews.Fact(t.get("admin.delete.id"), pack.id()),
                new AdminViews.Fact(t.get("admin.delete.version"), Long.toString(pack.version())),
                new AdminViews.Fact(t.get("admin.delete.size"), t.size(pack.totalSize())),
                new AdminViews.Fact(t.get("admin.delete.items"), t.format("pack.items", pack.itemCount())),
                new AdminViews.Fact(t.get("admin.delete.files"), Integer.toString(pack.fileCount())));
        page(ctx, "adminDelete.jte", new AdminViews.ConfirmDelete(layout(t.format("admin.delete.title", pack.title()),
                "dashboard", csrf), csrf, pack.title(), t.format("admin.delete.question", pack.title()), facts,
                "/admin/packs/" + pack.id() + "/delete"));
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
            throw HttpProblem.notFound("There is no pack '" + id + "' in this library");
        }
        gate.audit(ctx, "delete pack", "'" + pack.title() + "' (" + pack.id() + " version " + pack.version() + ", "
                + Sizes.human(pack.totalSize()) + ")");
        return pack;
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
            renderDashboard(ctx, null, e.getMessage());
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
                .orElseThrow(() -> HttpProblem.notFound(t.format("error.noPack", id)));
    }

    private Layout layout(String title, String section, String csrf) {
        return base.titled(title).withAdminBar(new Layout.AdminBar(section, csrf));
    }

    private String csrf(Context ctx) {
        return gate.formToken(ctx).orElse(null);
    }

    private String notice(Context ctx) {
        String deleted = ctx.queryParam("deleted");
        return deleted == null || deleted.isBlank() ? null
                : t.format("admin.delete.done", deleted.length() > 200 ? deleted.substring(0, 200) : deleted);
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
