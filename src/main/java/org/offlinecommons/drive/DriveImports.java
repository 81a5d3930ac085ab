package org.offlinecommons.drive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.offlinecommons.job.Job;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobText;
import org.offlinecommons.pack.DiskReserve;
import org.offlinecommons.pack.ImportResult;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ChunkStore;

/**
 * Imports packs from drives as background jobs, one per pack, each with its own progress.
 *
 * <p>A request is checked whole before any job starts: if one of the chosen packs would be
 * refused, none is imported and the answer says which and why, so an admin never has to work
 * out which half of a batch went in.
 */
public final class DriveImports {

    /** An import that has been started. */
    public record Started(FoundPack pack, Job job) {
    }

    private final Drives drives;
    private final JobRunner jobs;
    private final PackImporter importer;

    public DriveImports(Drives drives, JobRunner jobs) {
        this.drives = drives;
        this.jobs = jobs;
        DriveSettings s = drives.settings();
        this.importer = new PackImporter(drives.library(), s.limits(), s.reserveBytes());
    }

    /**
     * Checks every file and, if all can be imported, starts one job for each.
     *
     * @throws PackException naming each refused file and why; nothing was started
     */
    public List<Started> start(List<Path> files) {
        List<PackException> problems = new ArrayList<>();
        Map<String, FoundPack> chosen = new LinkedHashMap<>();
        for (Path file : new LinkedHashSet<>(files)) {
            FoundPack pack = drives.inspect(file).orElse(null);
            if (pack == null) {
                problems.add(new PackException(PackException.Reason.NOT_FOUND, file.getFileName() + ": no such file"));
                continue;
            }
            if (pack.refusal() != null) {
                problems.add(pack.refusalException());
                continue;
            }
            FoundPack same = chosen.putIfAbsent(pack.packId(), pack);
            if (same != null) {
                problems.add(new PackException(PackException.Reason.CONFLICT, same.fileName() + " and "
                        + pack.fileName() + " both hold pack '" + pack.packId() + "'; choose one"));
            }
        }
        if (!problems.isEmpty()) {
            throw combined(problems);
        }
        checkFreeSpace(List.copyOf(chosen.values()));
        List<Started> started = new ArrayList<>();
        List<String> busy = drives.startImports(List.copyOf(chosen.keySet()), id -> {
            FoundPack pack = chosen.get(id);
            String name = pack.title() == null ? pack.packId() : pack.title();
            Job job = jobs.submit("import", JobText.of("Import " + pack.fileName(), "job.drive.title",
                    pack.fileName()), j -> {
                j.message(JobText.of("Importing '" + name + "' from " + pack.file().getParent(), "job.drive.message",
                        name, String.valueOf(pack.file().getParent())));
                ImportResult r = importer.importPack(pack.file(), j);
                String english = describe(pack.file(), r);
                j.message(JobText.imported(r, english));
                return english;
            });
            started.add(new Started(pack, job));
            return job;
        });
        if (!busy.isEmpty()) {
            throw combined(busy.stream().map(id -> new PackException(PackException.Reason.CONFLICT,
                    chosen.get(id).fileName() + ": pack '" + id + "' is being imported already")).toList());
        }
        return started;
    }

    /** Whether an import of this pack is queued or running. */
    public boolean busy(String packId) {
        return drives.importing(packId);
    }

    /**
     * Room on the server's disk for importing some packs.
     *
     * @param packBytes    what the new and newer packs among them need
     * @param reserveBytes what every import leaves free
     * @param usableBytes  what is free now, or -1 when the disk cannot say
     */
    public record Space(long packBytes, long reserveBytes, long usableBytes) {

        /** The packs, the WAL's room while they are stored, and the reserve. */
        public long neededBytes() {
            return ChunkStore.stagingBytes(packBytes) + reserveBytes;
        }

        /** Unknown free space counts as enough: each import checks again, and a full disk fails cleanly. */
        public boolean enough() {
            return new DiskReserve(reserveBytes).fits(ChunkStore.stagingBytes(packBytes), usableBytes);
        }
    }

    /** What importing these packs would need, and what the server's disk has free. */
    public Space space(List<FoundPack> packs) {
        long packBytes = packs.stream().filter(p -> p.state().importable()).mapToLong(FoundPack::packBytes).sum();
        long usable;
        try {
            usable = drives.disks().of(drives.library().dataDir()).usableBytes();
        } catch (IOException e) {
            usable = -1;
        }
        return new Space(packBytes, drives.settings().reserveBytes(), usable);
    }

    /**
     * Checks space for all the packs at once: each import checks its own pack too, but two
     * packs that each fit can together fill the disk.
     */
    private void checkFreeSpace(List<FoundPack> packs) {
        Space space = space(packs);
        new DiskReserve(space.reserveBytes()).check(packs.size() == 1 ? packs.get(0).fileName()
                : "Importing these " + packs.size() + " packs", "the packs with working room",
                ChunkStore.stagingBytes(space.packBytes()), space.usableBytes());
    }

    private static PackException combined(List<PackException> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        StringBuilder message = new StringBuilder(problems.size() + " of the chosen packs cannot be imported,"
                + " so none was started: ");
        for (int i = 0; i < problems.size(); i++) {
            message.append(i == 0 ? "" : "; ").append(problems.get(i).getMessage());
        }
        return new PackException(problems.get(0).reason(), message.toString());
    }

    /** What an import did, in a line. */
    public static String describe(Path file, ImportResult r) {
        return file.getFileName() + ": " + r.summary();
    }
}
