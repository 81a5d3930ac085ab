package org.offlinecommons.drive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.offlinecommons.pack.ManifestCodec;
import org.offlinecommons.pack.PackArchive;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackExporter;
import org.offlinecommons.pack.PackManifest;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;

/**
 * Writes installed packs to a drive as pack zips, so that another school's server can import
 * them. Space and file-size limits are checked before anything is written; each zip is written
 * under a temporary name, flushed to the device, renamed, and then read back and checked whole,
 * because cheap sticks fail in ways only reading finds.
 */
public final class DriveExporter {

    /** A pack zip on the drive. {@code alreadyThere}: an identical, intact copy was kept. */
    public record Written(String packId, long version, Path file, long bytes, boolean alreadyThere) {
    }

    /** Room for a zip's own bytes beyond the pack's: headers, names, a little deflate overhead. */
    private static final long ZIP_OVERHEAD_PER_FILE = 200;
    private static final long MARGIN_BYTES = 1L << 20;

    private final Library library;
    private final Disks disks;
    private final PackExporter exporter;

    public DriveExporter(Library library, Disks disks) {
        this.library = library;
        this.disks = disks;
        this.exporter = new PackExporter(library);
    }

    /** The name a pack's zip gets on a drive. */
    public static String fileName(PackRecord pack) {
        return pack.id() + "-v" + pack.version() + ".zip";
    }

    /**
     * Checks that the packs exist and fit on the target, without writing anything.
     *
     * @return the packs, in the order given, without repeats
     * @throws PackException NOT_FOUND for an unknown pack or target; NO_SPACE when the target
     *                       lacks room, or is FAT32 and a pack is 4 GiB or more
     */
    public List<PackRecord> check(List<String> packIds, Path target) {
        if (packIds.isEmpty()) {
            throw PackException.invalid("Choose at least one pack to export");
        }
        List<PackRecord> packs = new ArrayList<>();
        for (String id : new LinkedHashSet<>(packIds)) {
            packs.add(library.catalog().pack(id).orElseThrow(() -> new PackException(PackException.Reason.NOT_FOUND,
                    "pack '" + id + "' is not installed")));
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw PackException.invalid(target + ": is a file, not a folder");
        }
        Path existing = target.toAbsolutePath();
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new PackException(PackException.Reason.NOT_FOUND, target + ": no such folder");
        }
        Disks.Disk disk;
        try {
            disk = disks.of(existing);
        } catch (IOException e) {
            return packs; // unknown disk: writing still fails cleanly if it is full
        }
        for (PackRecord p : packs) {
            Optional<PackException> tooBig = tooBigFor(p, target, disk);
            if (tooBig.isPresent()) {
                throw tooBig.get();
            }
        }
        long needed = MARGIN_BYTES;
        for (PackRecord p : packs) {
            needed += estimate(p);
        }
        if (disk.usableBytes() < needed) {
            throw new PackException(PackException.Reason.NO_SPACE, target + ": writing " + (packs.size() == 1
                    ? "this pack" : "these " + packs.size() + " packs") + " needs about " + Sizes.human(needed)
                    + " of free space, but only " + Sizes.human(disk.usableBytes()) + " is free on that drive");
        }
        return packs;
    }

    /**
     * Why this pack cannot be one zip file on that disk (FAT32 holds no file of 4 GiB or more),
     * or empty when it can; for warning before the admin even asks, as {@link #check} refuses.
     */
    public Optional<PackException> tooBigFor(PackRecord pack, Path target, Disks.Disk disk) {
        return pack.totalSize() > disk.maxFileBytes()
                ? Optional.of(tooBig(pack, target, disk, Sizes.human(pack.totalSize())))
                : Optional.empty();
    }

    /**
     * Writes each pack to {@code target/ID-vVERSION.zip}. Progress counts writing and reading
     * back, so it reaches the end when every copy has been checked.
     */
    public List<Written> export(List<String> packIds, Path target, ProgressListener progress) {
        List<PackRecord> packs = check(packIds, target);
        long total = 2 * packs.stream().mapToLong(PackRecord::totalSize).sum();
        long[] base = {0};
        List<Written> written = new ArrayList<>();
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new PackException(PackException.Reason.IO, target + ": cannot make the folder (" + e.getMessage()
                    + ")", e);
        }
        for (PackRecord pack : packs) {
            Path file = target.resolve(fileName(pack));
            ProgressListener within = (done, ignored) -> progress.update(base[0] + done, total);
            if (Files.isRegularFile(file) && intact(file, pack, within)) {
                base[0] += 2 * pack.totalSize();
                progress.update(base[0], total);
                written.add(new Written(pack.id(), pack.version(), file, size(file), true));
                continue;
            }
            removeLeftovers(target, file.getFileName().toString());
            try {
                // Writes a temporary file beside the target, forces it to the device, renames it.
                exporter.export(pack.id(), file, within);
            } catch (PackException e) {
                throw explainWriteFailure(e, pack, target);
            }
            syncFolder(target);
            readable(file);
            base[0] += pack.totalSize();
            if (!intact(file, pack, within)) {
                deleteQuietly(file);
                throw new PackException(PackException.Reason.IO, file + ": the copy just written does not read back"
                        + " the same; the drive may be failing. The bad copy was removed; try another drive");
            }
            base[0] += pack.totalSize();
            progress.update(base[0], total);
            written.add(new Written(pack.id(), pack.version(), file, size(file), false));
        }
        return written;
    }

    /**
     * Whether {@code file} is a valid pack zip holding exactly this pack: same manifest, and
     * every file's bytes hashing to what the manifest says.
     */
    private boolean intact(Path file, PackRecord pack, ProgressListener progress) {
        long[] done = {0};
        try (PackArchive archive = PackArchive.open(file)) {
            PackManifest m = archive.manifest();
            if (!ManifestCodec.digest(m).equals(pack.digest())) {
                return false;
            }
            byte[] buf = new byte[1 << 16];
            if (m.streamed()) {
                boolean[] ok = {true};
                archive.forEachFile((f, content) -> {
                    if (!ok[0]) {
                        return;
                    }
                    try (InputStream in = content.open()) {
                        ok[0] = sameBytes(in, f.size(), f.sha256(), buf, done, progress, pack.totalSize());
                    }
                });
                return ok[0];
            }
            for (PackManifest.FileEntry f : m.files()) {
                try (InputStream in = archive.open(f)) {
                    if (!sameBytes(in, f.size(), f.sha256(), buf, done, progress, pack.totalSize())) {
                        return false;
                    }
                }
            }
            return true;
        } catch (PackException | IOException e) {
            return false;
        }
    }

    /** Whether {@code in} holds exactly this size and hash; {@code done} counts what was read, of {@code total}. */
    private static boolean sameBytes(InputStream in, long size, String sha256, byte[] buf, long[] done,
                                     ProgressListener progress, long total) throws IOException {
        MessageDigest sha = Hashes.sha256();
        long read = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            sha.update(buf, 0, n);
            read += n;
            done[0] += n;
            progress.update(done[0], total);
        }
        return read == size && Hashes.hex(sha.digest()).equals(sha256);
    }

    /** A generous guess of the zip's size: the pack's bytes plus each entry's headers. */
    private long estimate(PackRecord pack) {
        long manifest = library.catalog().manifest(pack.id(), pack.digest())
                .map(m -> m.getBytes(StandardCharsets.UTF_8).length).orElse(0);
        long bytes = pack.totalSize() + pack.totalSize() / 1000 + 2L * manifest + 1024;
        // Per file: its headers, its name twice, and a line of the file list (format 2).
        bytes += (ZIP_OVERHEAD_PER_FILE + 90L) * pack.fileCount() + 3L * library.catalog().pathBytes(pack.id());
        return bytes;
    }

    private PackException explainWriteFailure(PackException e, PackRecord pack, Path target) {
        if (e.reason() != PackException.Reason.IO) {
            return e;
        }
        try {
            Disks.Disk disk = disks.of(target);
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("too large")
                    && disk.maxFileBytes() < Long.MAX_VALUE) {
                return tooBig(pack, target, disk, "over " + Sizes.human(disk.maxFileBytes()) + " once zipped");
            }
        } catch (IOException ignored) {
            // Not knowing the file system, the original error says enough.
        }
        return e;
    }

    private static PackException tooBig(PackRecord pack, Path target, Disks.Disk disk, String size) {
        String limit = disk.isFat()
                ? "this drive uses the FAT32 file system, which cannot hold a file of 4 GiB (4.29 GB) or more."
                        + " Reformat the drive as exFAT (which Windows, macOS and Linux all read), use a drive"
                        + " formatted that way,"
                : "this drive's file system (" + disk.type() + ") cannot hold a file over "
                        + Sizes.human(disk.maxFileBytes()) + ". Use another drive,";
        return new PackException(PackException.Reason.NO_SPACE, target + ": pack '" + pack.id() + "' is " + size
                + ", but " + limit + " or write the pack as a mirror tree ('offline-commons mirror', or the mirror"
                + " option when exporting), which stores it as many small files");
    }

    /** Temporary files an interrupted export of this name left behind (only names we make). */
    private static void removeLeftovers(Path folder, String name) {
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(folder, "." + name + "*.part")) {
            for (Path p : stale) {
                deleteQuietly(p);
            }
        } catch (IOException ignored) {
            // Leftovers are hidden and harmless.
        }
    }

    /** Makes the rename itself durable: the new name is in the folder, on the device. */
    private static void syncFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot sync a folder; the file's own data was already forced.
        }
    }

    /**
     * Lets others read the copy: the zip was made as a private temporary file, and on a stick
     * formatted for Linux it would otherwise stay readable only by the server's user.
     */
    private static void readable(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException ignored) {
            // FAT and exFAT have no permissions to set.
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort.
        }
    }
}
