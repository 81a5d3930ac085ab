package org.offlinecommons.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.offlinecommons.drive.DriveExporter;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.Job;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobText;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.sync.MirrorWriter;

/**
 * Exports to drives as jobs, for the JSON API and the export page alike. A request is checked
 * before its job starts (the target is on a drive, the packs exist and fit), so a refused one
 * starts nothing. What each job wrote is kept with the job, so the page can list every file.
 */
public final class ExportJobs {

    /**
     * What an export job did.
     *
     * @param written the pack zips, each read back and checked; empty when none were asked for
     * @param mirror  the mirror tree's numbers, or null when none was asked for
     */
    public record Outcome(Path target, List<DriveExporter.Written> written, MirrorWriter.Result mirror) {
    }

    public record Started(Job job, Path target) {
    }

    private final Drives drives;
    private final DriveExporter exporter;
    private final JobRunner jobs;

    public ExportJobs(Drives drives, JobRunner jobs) {
        this.drives = drives;
        this.exporter = new DriveExporter(drives.library(), drives.disks());
        this.jobs = jobs;
    }

    public DriveExporter exporter() {
        return exporter;
    }

    /**
     * Checks the request and starts its job.
     *
     * @param target a drive or a folder on one, as the client names it
     * @throws org.offlinecommons.pack.PackException when the target is not on a drive, a pack is
     *         unknown, or the zips would not fit; nothing was started
     */
    public Started start(List<String> packIds, String target, boolean zips, boolean mirror) {
        Path folder = drives.folderOnDrive(target);
        List<String> ids = List.copyOf(packIds);
        if (zips) {
            exporter.check(ids, folder);
        }
        String english = "Export " + (ids.size() == 1 ? "'" + ids.get(0) + "'" : ids.size() + " packs") + " to "
                + folder;
        JobText title = ids.size() == 1
                ? JobText.of(english, "job.export.titleOne", ids.get(0), folder.toString())
                : JobText.of(english, "job.export.titleMany", ids.size(), folder.toString());
        Job job = jobs.submit("export", title, j -> {
            StringBuilder result = new StringBuilder();
            List<DriveExporter.Written> written = List.of();
            MirrorWriter.Result mirrored = null;
            if (zips) {
                j.message(JobText.of("Writing pack zips to " + folder, "job.export.zips", folder.toString()));
                written = exporter.export(ids, folder, j);
                long bytes = written.stream().mapToLong(DriveExporter.Written::bytes).sum();
                result.append("Wrote ").append(written.size()).append(written.size() == 1 ? " pack" : " packs")
                        .append(" (").append(Sizes.human(bytes)).append(") to ").append(folder)
                        .append(", each read back and checked");
            }
            if (mirror) {
                j.message(JobText.of("Writing the mirror tree to " + folder, "job.export.mirror",
                        folder.toString()));
                mirrored = new MirrorWriter(drives.library()).write(folder, ids, j);
                result.append(result.length() == 0 ? "" : "; ").append("mirrored ").append(mirrored.packs())
                        .append(mirrored.packs() == 1 ? " pack" : " packs").append(" to ").append(folder);
            }
            j.detail(new Outcome(folder, written, mirrored));
            String done = result.toString();
            long bytes = written.stream().mapToLong(DriveExporter.Written::bytes).sum();
            if (zips && mirrored != null) {
                j.message(JobText.of(done, "job.export.both", written.size(), new JobText.Bytes(bytes),
                        folder.toString(), mirrored.packs()));
            } else if (zips) {
                j.message(JobText.of(done, "job.export.wrote", written.size(), new JobText.Bytes(bytes),
                        folder.toString()));
            } else if (mirrored != null) {
                j.message(JobText.of(done, "job.export.mirrored", mirrored.packs(), folder.toString()));
            }
            return done;
        });
        return new Started(job, folder);
    }

    /** What a finished export job wrote; empty while it runs, if it failed, or long after. */
    public Optional<Outcome> outcome(String jobId) {
        return jobs.detail(jobId, Outcome.class);
    }
}
