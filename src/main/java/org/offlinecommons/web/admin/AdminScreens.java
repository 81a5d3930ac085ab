package org.offlinecommons.web.admin;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.offlinecommons.admin.Audit;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.store.AuditLog;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryScrub;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.sync.SyncTree;
import org.offlinecommons.web.AdminViews;
import org.offlinecommons.web.Layout;
import org.offlinecommons.web.Messages;

/**
 * The admin pages' views, built from the library, the jobs and the audit log and put into words:
 * no request in sight ({@link AdminRoutes} parses, calls and renders them).
 */
public final class AdminScreens {

    private static final int DASHBOARD_JOBS = 5;
    private static final int DASHBOARD_AUDIT = 15;
    static final String REPAIR_PATH = "/admin/repair";

    private final Library library;
    private final JobRunner jobs;
    private final Audit audit;
    private final Messages t;
    private final Layout base;
    private final long maxUploadBytes;
    private final LibraryScrub scrub;

    AdminScreens(Library library, JobRunner jobs, Audit audit, LibraryScrub scrub, long maxUploadBytes,
                 Messages messages, Layout base) {
        this.library = library;
        this.scrub = scrub;
        this.jobs = jobs;
        this.audit = audit;
        this.t = messages;
        this.base = base;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** The request's language's short date (made per page: the language differs by request). */
    private DateTimeFormatter dates() {
        return DateTimeFormatter.ofPattern(t.get("date.short"), t.locale()).withZone(ZoneId.systemDefault());
    }

    /** @param error why the last try failed, or null */
    AdminViews.Login login(String next, String error) {
        return new AdminViews.Login(layout(t.get("admin.login.title"), "login", null), next, error);
    }

    AdminViews.Dashboard dashboard(String csrf, String notice, String error) {
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
        return new AdminViews.Dashboard(layout(t.get("admin.title"), "dashboard", csrf), csrf, notice, error,
                t.format("admin.upload.hint", t.size(maxUploadBytes)), packs, jobRows(DASHBOARD_JOBS), actions, links,
                storage(dates));
    }

    /** The scrub in one line, and the damaged files (which pack, which file, when found). */
    private AdminViews.Storage storage(DateTimeFormatter dates) {
        LibraryScrub.Status s = scrub.status();
        String line;
        if (s.running()) {
            line = t.format("admin.scrub.running", s.percent(), t.size(s.doneBytes()), t.size(s.totalBytes()),
                    s.damagedFound());
        } else if (s.lastFinishedAt() > 0) {
            line = t.format("admin.scrub.last", dates.format(Instant.ofEpochMilli(s.lastFinishedAt())), s.lastDamaged());
        } else {
            line = t.get("admin.scrub.never");
        }
        List<AdminViews.DamageRow> damaged = new ArrayList<>();
        for (ChunkStore.DamagedChunk d : library.chunks().damaged()) {
            if (d.size() < 0) {
                continue; // its pack was deleted: nothing left to show or heal
            }
            int slash = d.where().indexOf('/');
            String found = dates.format(Instant.ofEpochMilli(d.foundAt()));
            damaged.add(slash < 0 ? new AdminViews.DamageRow("—", d.hash(), found)
                    : new AdminViews.DamageRow(d.where().substring(0, slash), d.where().substring(slash + 1), found));
        }
        return new AdminViews.Storage(line, damaged, REPAIR_PATH);
    }

    AdminViews.Jobs jobs(String csrf) {
        boolean running = jobs.recent().stream().anyMatch(j -> !j.state().finished());
        return new AdminViews.Jobs(layout(t.get("admin.jobs.title"), "jobs", csrf), jobRows(Integer.MAX_VALUE),
                running);
    }

    AdminViews.ConfirmDelete confirmDelete(PackRecord pack, String csrf) {
        List<AdminViews.Fact> facts = List.of(
                new AdminViews.Fact(t.get("admin.delete.id"), pack.id()),
                new AdminViews.Fact(t.get("admin.delete.version"), Long.toString(pack.version())),
                new AdminViews.Fact(t.get("admin.delete.size"), t.size(pack.totalSize())),
                new AdminViews.Fact(t.get("admin.delete.items"), t.format("pack.items", pack.itemCount())),
                new AdminViews.Fact(t.get("admin.delete.files"), Integer.toString(pack.fileCount())));
        return new AdminViews.ConfirmDelete(layout(t.format("admin.delete.title", pack.title()), "dashboard", csrf),
                csrf, pack.title(), t.format("admin.delete.question", pack.title()), facts,
                "/admin/packs/" + pack.id() + "/delete");
    }

    /** @param deleted the title of the pack just deleted, from the query, or null */
    String notice(String deleted) {
        return deleted == null || deleted.isBlank() ? null
                : t.format("admin.delete.done", deleted.length() > 200 ? deleted.substring(0, 200) : deleted);
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
        // Said now, in this visitor's language, from the keys the job's thread kept.
        String message = t.say(j.messageText());
        return new AdminViews.JobRow(t.say(j.titleText()), state, j.state().name().toLowerCase(Locale.ROOT), percent,
                progress, message.isEmpty() ? null : message, j.error());
    }

    private static String timeLeft(Messages t, long seconds) {
        return seconds < 90 ? t.format("admin.job.secondsLeft", seconds)
                : t.format("admin.job.minutesLeft", (seconds + 30) / 60);
    }

    private Layout layout(String title, String section, String csrf) {
        return base.titled(title).withAdminBar(new Layout.AdminBar(section, csrf));
    }
}
