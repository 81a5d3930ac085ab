package org.offlinecommons.drive;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.offlinecommons.job.Job;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.store.Library;

/**
 * The drives the server can see (its inbox and whatever is mounted under the mount roots) and
 * the packs on them. Nothing here ever writes to a drive: looking is read-only.
 */
public final class Drives {

    private final Library library;
    private final DriveSettings settings;
    private final Disks disks;
    private final Clock clock;
    private final PackInspector inspector;
    /** Imports queued or running, by pack id, whoever started them (an admin, the watcher). */
    private final Map<String, Job> importing = new HashMap<>();

    public Drives(Library library, DriveSettings settings) {
        this(library, settings, Disks.SYSTEM, Clock.systemUTC());
    }

    public Drives(Library library, DriveSettings settings, Disks disks, Clock clock) {
        this.library = library;
        this.settings = settings;
        this.disks = disks;
        this.clock = clock;
        this.inspector = new PackInspector(library, settings.limits());
    }

    /** The library's inbox and Linux's usual mount roots. */
    public static Drives defaults(Library library) {
        return new Drives(library, DriveSettings.of(library.dataDir()));
    }

    public Library library() {
        return library;
    }

    public DriveSettings settings() {
        return settings;
    }

    public Disks disks() {
        return disks;
    }

    /** The inbox first (made if missing: it is the server's own folder), then each drive found. */
    public List<Drive> drives() {
        List<Drive> drives = new ArrayList<>();
        Path inbox = settings.inbox().toAbsolutePath().normalize();
        try {
            Files.createDirectories(settings.inbox());
            inbox = settings.inbox().toRealPath();
            drives.add(Drive.inbox(inbox));
        } catch (IOException e) {
            // No inbox (a read-only data folder): drives still work.
        }
        Set<Path> found = new LinkedHashSet<>();
        for (MountRoot root : settings.mountRoots()) {
            collect(root.path(), root.depth(), found);
        }
        Path dataDir = dataDir();
        List<Path> sorted = new ArrayList<>(found);
        sorted.sort(null);
        for (Path p : sorted) {
            // A folder holding another drive (/media/ana holding /media/ana/STICK) is not a drive itself.
            boolean holdsAnother = sorted.stream().anyMatch(o -> !o.equals(p) && o.startsWith(p));
            if (!holdsAnother && !p.equals(dataDir) && !p.startsWith(inbox)) {
                drives.add(Drive.removable(p));
            }
        }
        return drives;
    }

    /** Every drive with the packs on it and how each compares with the library. */
    public List<DriveReport> scan() {
        List<DriveReport> reports = new ArrayList<>();
        for (Drive drive : drives()) {
            reports.add(report(drive));
        }
        return reports;
    }

    /** One drive with the packs on it. */
    public DriveReport report(Drive drive) {
        PackFinder.Result found = PackFinder.find(drive.path(), dataDir());
        List<FoundPack> packs = new ArrayList<>();
        Instant now = clock.instant();
        for (Path zip : found.zips()) {
            Optional<FileStamp> stamp = FileStamp.of(zip);
            if (stamp.isEmpty()) {
                continue;
            }
            Instant modified = stamp.get().modified();
            // A time far in the future is a clock or time zone mix-up (FAT keeps local time), not a copy.
            if (modified.isAfter(now.minus(settings.settle())) && modified.isBefore(now.plus(settings.settle()))) {
                packs.add(PackInspector.copying(zip, stamp.get().size(), stamp.get().modified(),
                        settings.settle().toSeconds()));
            } else {
                inspector.inspect(zip).ifPresent(packs::add);
            }
        }
        String type = null;
        long free = -1;
        long total = -1;
        try {
            Disks.Disk disk = disks.of(drive.path());
            type = disk.type();
            free = disk.usableBytes();
            total = disk.totalBytes();
        } catch (IOException e) {
            // Unknown: the listing still shows the packs.
        }
        return new DriveReport(drive, type, free, total, packs, found.partial());
    }

    /**
     * The packs in a folder an admin names by hand (the CLI's --from-drive), every one read
     * whatever its age: the admin says the copy is done.
     */
    public List<FoundPack> packsIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new PackException(PackException.Reason.NOT_FOUND, folder + ": no such folder");
        }
        List<FoundPack> packs = new ArrayList<>();
        for (Path zip : PackFinder.find(folder, dataDir()).zips()) {
            inspector.inspect(zip).ifPresent(packs::add);
        }
        return packs;
    }

    /** Every pack file on every drive, with its size and time, for watching them settle. */
    List<FileStamp> packFiles() {
        List<FileStamp> files = new ArrayList<>();
        for (Drive drive : drives()) {
            for (Path zip : PackFinder.find(drive.path(), dataDir()).zips()) {
                FileStamp.of(zip).ifPresent(files::add);
            }
        }
        return files;
    }

    /** What a pack file is now, read whatever its age; empty if it is gone. */
    public Optional<FoundPack> inspect(Path file) {
        return inspector.inspect(file);
    }

    /**
     * A pack file named by a client, checked to be a zip on a drive or in the inbox: an HTTP
     * client must not make the server read any other file.
     */
    public Path packOnDrive(String path) {
        Path real = realPath(path);
        if (drives().stream().noneMatch(d -> real.startsWith(d.path()) && !real.equals(d.path()))) {
            throw new PackException(PackException.Reason.NOT_FOUND, path + ": is not on a drive or in the inbox");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) || !PackFinder.isZipName(
                real.getFileName().toString())) {
            throw PackException.invalid(path + ": is not a pack zip file");
        }
        return real;
    }

    /**
     * A folder named by a client to export to, checked to be a drive or a folder on one (it
     * need not exist yet). The inbox is not a target: whatever lands there gets imported.
     */
    public Path folderOnDrive(String path) {
        Path target;
        try {
            target = Path.of(path).normalize();
        } catch (InvalidPathException e) {
            throw PackException.invalid(path + ": is not a valid folder name");
        }
        if (!target.isAbsolute()) {
            throw PackException.invalid(path + ": must be a full path, such as one /api/v1/drives lists");
        }
        Path existing = target;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new PackException(PackException.Reason.NOT_FOUND, path + ": no such folder");
        }
        Path real;
        try {
            real = existing.toRealPath().resolve(existing.relativize(target));
        } catch (IOException e) {
            throw new PackException(PackException.Reason.NOT_FOUND, path + ": cannot be reached (" + e.getMessage()
                    + ")");
        }
        boolean onDrive = drives().stream().anyMatch(d -> !d.inbox() && real.startsWith(d.path()));
        if (!onDrive) {
            throw new PackException(PackException.Reason.NOT_FOUND, path + ": is not a drive or a folder on one");
        }
        if (Files.exists(real) && !Files.isDirectory(real)) {
            throw PackException.invalid(path + ": is a file, not a folder");
        }
        return real;
    }

    private static Path realPath(String path) {
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            throw PackException.invalid(path + ": is not a valid file name");
        }
        if (!p.isAbsolute()) {
            throw PackException.invalid(path + ": must be a full path, such as one /api/v1/drives lists");
        }
        try {
            return p.toRealPath();
        } catch (NoSuchFileException e) {
            throw new PackException(PackException.Reason.NOT_FOUND, path + ": no such file");
        } catch (IOException e) {
            throw new PackException(PackException.Reason.NOT_FOUND, path + ": cannot be reached (" + e.getMessage()
                    + ")");
        }
    }

    private Path dataDir() {
        try {
            return library.dataDir().toRealPath();
        } catch (IOException e) {
            return library.dataDir().toAbsolutePath().normalize();
        }
    }

    /** Adds the folders exactly {@code depth} levels below {@code root}. */
    private static void collect(Path root, int depth, Set<Path> into) {
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            return;
        }
        List<Path> level = List.of(real);
        for (int d = 0; d < depth; d++) {
            List<Path> next = new ArrayList<>();
            for (Path dir : level) {
                try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                    for (Path child : children) {
                        if (!child.getFileName().toString().startsWith(".") && Files.isDirectory(child,
                                LinkOption.NOFOLLOW_LINKS)) {
                            next.add(child);
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // Someone else's folder under /media: not ours to look into.
                }
            }
            level = next;
        }
        into.addAll(level);
    }

    /** A file's size and modification time: unchanged for a while means it is complete. */
    record FileStamp(Path file, long size, Instant modified) {
        static Optional<FileStamp> of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return Optional.of(new FileStamp(file, a.size(), a.lastModifiedTime().toInstant()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Runs {@code start} for the pack ids that no import is working on, under one lock, so that
     * two requests cannot both start the same pack.
     *
     * @return the ids some import is already working on; if any, nothing was started
     */
    List<String> startImports(List<String> packIds, Function<String, Job> start) {
        synchronized (importing) {
            importing.values().removeIf(j -> j.status().state().finished());
            List<String> busy = packIds.stream().filter(importing::containsKey).toList();
            if (busy.isEmpty()) {
                for (String id : packIds) {
                    importing.put(id, start.apply(id));
                }
            }
            return busy;
        }
    }

    /** Whether an import of this pack is queued or running. */
    boolean importing(String packId) {
        synchronized (importing) {
            importing.values().removeIf(j -> j.status().state().finished());
            return importing.containsKey(packId);
        }
    }

    /** How long a file must stay unchanged. */
    Duration settle() {
        return settings.settle();
    }
}
