package org.offlinecommons.web.drives;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.offlinecommons.app.ExportJobs;
import org.offlinecommons.app.Services;
import org.offlinecommons.drive.Disks;
import org.offlinecommons.drive.Drive;
import org.offlinecommons.drive.DriveExporter;
import org.offlinecommons.drive.DriveImports;
import org.offlinecommons.drive.DriveReport;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.drive.FoundPack;
import org.offlinecommons.drive.MountRoot;
import org.offlinecommons.drive.PackState;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.sync.SyncTree;
import org.offlinecommons.web.AdminViews;
import org.offlinecommons.web.DriveViews;
import org.offlinecommons.web.Layout;
import org.offlinecommons.web.Messages;
import org.offlinecommons.web.StaticAssets;
import org.offlinecommons.web.admin.AdminScreens;

/**
 * The views of the drive pages, built from what the drive package decides and put into words:
 * no request in sight ({@link DrivePages} parses, calls and renders them).
 */
final class DriveScreens {

    /** A drive's packs counted by state, in this order: what can be done first. */
    private static final List<String> SUMMARY_ORDER = List.of("new", "newer", "busy", "copying", "installed", "older",
            "invalid");

    /** What the admin asked for, to show the form again as it was sent. */
    record ExportChoice(Set<String> packs, String target, String folder, boolean zips, boolean mirror) {
    }

    private final Drives drives;
    private final DriveImports imports;
    private final ExportJobs exports;
    private final JobRunner jobs;
    private final Messages t;
    private final Layout base;
    private final String styleUrl;
    private final String scriptUrl;

    DriveScreens(Services services, Messages messages, Layout base, StaticAssets assets) {
        this.drives = services.drives();
        this.imports = services.driveImports();
        this.exports = services.exports();
        this.jobs = services.jobs();
        this.t = messages;
        this.base = base;
        this.styleUrl = assets.url("admin.css");
        this.scriptUrl = assets.url("admin.js");
    }

    /** @param ticked the paths the admin ticked, or null for the page's own choice */
    DriveViews.Import importView(String csrf, String path, List<String> jobIds, String error,
                                 Set<String> ticked) {
        List<DriveReport> reports = new ArrayList<>(drives.scan());
        // The drive just plugged in matters more than the inbox, which is usually empty.
        reports.sort(Comparator.comparing((DriveReport r) -> r.drive().inbox()));
        List<FoundPack> all = reports.stream().flatMap(r -> r.packs().stream()).toList();
        List<FoundPack> wanted = newestOfEach(all);
        DriveImports.Space space = imports.space(wanted);
        Set<String> chosen = ticked != null ? ticked : wanted.stream().filter(p -> fits(p, space))
                .map(p -> p.file().toString()).collect(Collectors.toSet());
        List<DriveViews.DriveBox> boxes = new ArrayList<>();
        boolean anyTickable = false;
        for (DriveReport r : reports) {
            List<DriveViews.FoundRow> rows = new ArrayList<>();
            // What the admin can act on first; the rest (and why) below it, in file order.
            List<FoundPack> ordered = r.packs().stream().sorted(Comparator.comparingInt(DriveScreens::rank)).toList();
            for (FoundPack p : ordered) {
                DriveViews.FoundRow row = foundRow(p, chosen, space);
                anyTickable |= row.tickable();
                rows.add(row);
            }
            boxes.add(driveBox(r, rows));
        }
        boolean noDrive = reports.stream().allMatch(r -> r.drive().inbox());
        Path inbox = drives.settings().inbox().toAbsolutePath().normalize();
        String lookedIn = drives.settings().mountRoots().stream().map(MountRoot::path).map(Path::toString)
                .distinct().collect(Collectors.joining(", "));
        String spaceLine = space.usableBytes() < 0 ? t.get("admin.drives.spaceUnknown")
                : t.format("admin.drives.space", t.size(space.usableBytes()), t.size(space.reserveBytes()));
        if (space.packBytes() > 0) {
            spaceLine += " " + t.format("admin.drives.spaceAll", t.size(space.packBytes()));
        }
        String spaceWarning = space.enough() ? null : t.format("admin.drives.spaceShort",
                t.size(space.neededBytes()), t.size(space.usableBytes()), t.size(space.reserveBytes()));
        return new DriveViews.Import(layout("admin.drives.title", "drives", csrf), csrf, error,
                progress(path, "admin.drives.progress", jobIds, null), boxes,
                noDrive && all.isEmpty(), t.format("admin.drives.empty", inbox.toString()),
                t.format("admin.drives.lookedIn", lookedIn), spaceLine, spaceWarning, anyTickable,
                anyTickable || all.isEmpty() ? null : t.get("admin.drives.noneTickable"), styleUrl, scriptUrl);
    }

    /**
     * The new packs and updates worth importing: each pack once, in the highest version found
     * (the same pack on the stick and in the inbox is one import), none an import is busy with.
     * What the page ticks for the admin, and what it counts against the free space.
     */
    private List<FoundPack> newestOfEach(List<FoundPack> all) {
        Map<String, FoundPack> newest = new java.util.LinkedHashMap<>();
        for (FoundPack p : all) {
            if (p.state().importable() && !imports.busy(p.packId())) {
                newest.merge(p.packId(), p, (a, b) -> b.version() > a.version() ? b : a);
            }
        }
        return List.copyOf(newest.values());
    }

    private static int rank(FoundPack p) {
        return switch (p.state()) {
            case NEW, NEWER -> 0;
            case COPYING -> 1;
            case INSTALLED, OLDER -> 2;
            case INVALID -> 3;
        };
    }

    private static boolean fits(FoundPack p, DriveImports.Space space) {
        return new DriveImports.Space(p.packBytes(), space.reserveBytes(), space.usableBytes()).enough();
    }

    private DriveViews.FoundRow foundRow(FoundPack p, Set<String> chosen, DriveImports.Space space) {
        String path = p.file().toString();
        boolean busy = p.state().importable() && imports.busy(p.packId());
        boolean tickable = p.state().importable() && !busy;
        String state = busy ? "busy" : p.state().id();
        String title = p.title() != null ? p.title() : p.fileName();
        String facts = p.packId() == null
                ? t.format("admin.drives.fileFacts", t.size(p.fileBytes()))
                : t.format("admin.drives.packFacts", p.packId(), p.version(), t.size(p.packBytes()), p.fileName());
        String detail;
        boolean problem = false;
        if (busy) {
            detail = t.get("admin.drives.detail.busy");
        } else {
            detail = switch (p.state()) {
                case NEW -> t.get("admin.drives.detail.new");
                case NEWER -> t.format("admin.drives.detail.newer", p.installedVersion());
                case INSTALLED -> t.get("admin.drives.detail.installed");
                case OLDER -> t.format("admin.drives.detail.older", p.installedVersion());
                case COPYING -> t.get("admin.drives.detail.copying");
                case INVALID -> p.detail();
            };
            problem = p.state() == PackState.INVALID;
            if (tickable && !fits(p, space)) {
                detail = t.get("admin.drives.detail.tooBig");
                problem = true;
            }
        }
        return new DriveViews.FoundRow(path, tickable, tickable && chosen.contains(path), title,
                t.get("admin.drives.state." + state), state, facts, detail, problem);
    }

    private DriveViews.DriveBox driveBox(DriveReport r, List<DriveViews.FoundRow> rows) {
        Drive d = r.drive();
        String facts = null;
        if (!d.inbox()) {
            facts = r.freeBytes() < 0 ? t.get("admin.drives.diskUnknown")
                    : t.format("admin.drives.diskFacts", fileSystem(r.fileSystem()), t.size(r.freeBytes()),
                    t.size(r.totalBytes()));
        }
        Map<String, Integer> counts = new HashMap<>();
        rows.forEach(row -> counts.merge(row.stateClass(), 1, Integer::sum));
        String summary = rows.isEmpty() ? t.get("admin.drives.noPacks") : SUMMARY_ORDER.stream()
                .filter(counts::containsKey).map(state -> t.format("admin.drives.count." + state, counts.get(state)))
                .collect(Collectors.joining(" · "));
        return new DriveViews.DriveBox(d.inbox() ? t.get("admin.drives.inbox") : d.label(), d.path().toString(), facts,
                summary, r.partial() ? t.get("admin.drives.partial") : null, rows);
    }

    DriveViews.Export exportView(String csrf, String pagePath, List<String> jobIds, String error,
                                 ExportChoice choice) {
        List<Drive> targets = drives.drives().stream().filter(d -> !d.inbox()).toList();
        Map<Drive, Disks.Disk> disks = new HashMap<>();
        for (Drive d : targets) {
            try {
                disks.put(d, drives.disks().of(d.path()));
            } catch (IOException e) {
                // Unknown: the export checks again when asked, and writing fails cleanly.
            }
        }
        List<DriveViews.TargetRow> targetRows = new ArrayList<>();
        for (Drive d : targets) {
            Disks.Disk disk = disks.get(d);
            String facts = disk == null ? t.get("admin.drives.diskUnknown")
                    : t.format("admin.drives.diskFacts", fileSystem(disk.type()), t.size(disk.usableBytes()),
                    t.size(disk.totalBytes()));
            String path = d.path().toString();
            boolean checked = choice.target() == null ? targets.size() == 1 : choice.target().equals(path);
            targetRows.add(new DriveViews.TargetRow(path, d.label(), facts, checked,
                    disk == null ? -1 : disk.usableBytes()));
        }
        boolean anyTooBig = false;
        List<DriveViews.LibraryRow> packs = new ArrayList<>();
        DriveExporter exporter = exports.exporter();
        for (PackRecord p : drives.library().catalog().packs()) {
            List<String> warnings = new ArrayList<>();
            for (Drive d : targets) {
                Disks.Disk disk = disks.get(d);
                if (disk != null && exporter.tooBigFor(p, d.path(), disk).isPresent()) {
                    warnings.add(disk.isFat() ? t.format("admin.export.tooBigForFat", d.label())
                            : t.format("admin.export.tooBigFor", d.label(), t.size(disk.maxFileBytes())));
                }
            }
            anyTooBig |= !warnings.isEmpty();
            packs.add(new DriveViews.LibraryRow(p.id(), p.title(),
                    t.format("admin.export.packFacts", p.id(), p.version(), t.size(p.totalSize())),
                    choice.packs().contains(p.id()), p.totalSize(), warnings));
        }
        String example = (targets.isEmpty() ? drives.settings().mountRoots().get(0).path().resolve("STICK")
                : targets.get(0).path()).resolve(t.get("admin.export.folderExample")).toString();
        return new DriveViews.Export(layout("admin.export.title", "export", csrf), csrf, error,
                progress(pagePath, "admin.export.progress", jobIds, exports), packs, targetRows, choice.folder(),
                t.format("admin.export.folderHint", example), choice.zips(), choice.mirror(),
                targets.isEmpty() ? t.get("admin.export.noDrive") : null,
                anyTooBig ? t.get("admin.export.fatNote") : null, room(packs, targetRows, choice), styleUrl, scriptUrl);
    }

    /**
     * What the ticked packs need, once per kind of copy, against the chosen drive's free space:
     * told before the admin presses Export, as the import page does (the export still checks
     * exactly, with its margins, and refuses).
     */
    private DriveViews.Room room(List<DriveViews.LibraryRow> packs, List<DriveViews.TargetRow> targets,
                                 ExportChoice choice) {
        long bytes = 0;
        for (DriveViews.LibraryRow p : packs) {
            bytes += p.ticked() ? p.bytes() : 0;
        }
        long need = bytes * Math.max(1, (choice.zips() ? 1 : 0) + (choice.mirror() ? 1 : 0));
        DriveViews.TargetRow target = choice.folder().isEmpty()
                ? targets.stream().filter(DriveViews.TargetRow::checked).findFirst().orElse(null) : null;
        String text;
        boolean tooSmall = false;
        if (bytes == 0) {
            text = t.get("admin.export.room.none");
        } else if (target == null || target.freeBytes() < 0) {
            text = t.format("admin.export.room.needs", t.size(need));
        } else {
            tooSmall = need > target.freeBytes();
            text = t.format(tooSmall ? "admin.export.room.tooSmall" : "admin.export.room.fits", t.size(need),
                    target.label(), t.size(target.freeBytes()));
        }
        return new DriveViews.Room(text, tooSmall, t.get("admin.export.room.none"), t.get("admin.export.room.needs"),
                t.get("admin.export.room.fits"), t.get("admin.export.room.tooSmall"));
    }

    /** @param outcomes for an export, what it wrote; null for imports */
    private DriveViews.Progress progress(String path, String headingKey, List<String> ids, ExportJobs outcomes) {
        List<JobStatus> statuses = ids.stream().map(jobs::status).flatMap(Optional::stream).toList();
        if (statuses.isEmpty()) {
            return null;
        }
        boolean running = statuses.stream().anyMatch(s -> !s.state().finished());
        boolean allWell = statuses.stream().allMatch(s -> s.state() == JobState.SUCCEEDED);
        List<AdminViews.Fact> written = new ArrayList<>();
        if (outcomes != null) {
            for (JobStatus s : statuses) {
                outcomes.outcome(s.id()).ifPresent(o -> {
                    for (DriveExporter.Written w : o.written()) {
                        written.add(new AdminViews.Fact(o.target().relativize(w.file()).toString(), t.format(
                                w.alreadyThere() ? "admin.export.kept" : "admin.export.verified",
                                t.size(w.bytes()))));
                    }
                    if (o.mirror() != null) {
                        written.add(new AdminViews.Fact(SyncTree.ROOT + "/", t.format("admin.export.mirrored", o.mirror().packs(),
                                t.size(o.mirror().bytesWritten()), t.size(o.mirror().bytesKept()))));
                    }
                });
            }
        }
        String done = running || !allWell ? null
                : t.get(outcomes != null ? "admin.export.done" : "admin.drives.done");
        return new DriveViews.Progress(t.get(headingKey), statuses.stream().map(s -> AdminScreens.jobRow(t, s))
                .toList(), running, written, done, path + "?jobs=" + String.join(",", ids));
    }

    private static String fileSystem(String type) {
        if (type == null) {
            return "?";
        }
        return Disks.Disk.of(type, 0, 0).isFat() ? "FAT32" : type;
    }

    private Layout layout(String titleKey, String section, String csrf) {
        return base.titled(t.get(titleKey)).withAdminBar(new Layout.AdminBar(section, csrf));
    }
}
