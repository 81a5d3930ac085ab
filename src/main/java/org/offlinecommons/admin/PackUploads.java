package org.offlinecommons.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.offlinecommons.job.Job;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobText;
import org.offlinecommons.pack.DiskReserve;
import org.offlinecommons.pack.ImportResult;
import org.offlinecommons.pack.PackArchive;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.pack.PackLimits;
import org.offlinecommons.pack.PackManifest;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.pack.ZimImporter;
import org.offlinecommons.store.Library;

/**
 * Packs uploaded by the admin: received into {@code DATA/uploads} (the library's own disk, not
 * /tmp, which is often memory), checked, then imported as a job; the file is removed when the
 * job ends, whatever its outcome.
 */
public final class PackUploads {

    /** 8 GB: a large video course; anything bigger travels better on a USB drive. */
    public static final long DEFAULT_MAX_BYTES = 8L * 1000 * 1000 * 1000;
    private static final int MAX_NAME_CHARS = 100;

    private final JobRunner jobs;
    private final PackLimits limits;
    private final long reserveBytes;
    private final long maxBytes;
    private final PackImporter importer;
    private final Path folder;

    public PackUploads(Library library, JobRunner jobs, PackLimits limits, long reserveBytes, long maxBytes) {
        this.jobs = jobs;
        this.limits = limits;
        this.reserveBytes = reserveBytes;
        this.maxBytes = maxBytes;
        this.importer = new PackImporter(library, limits, reserveBytes);
        this.folder = library.dataDir().resolve("uploads");
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Path folder() {
        return folder;
    }

    /** Removes what uploads left behind when the server stopped in the middle of one. */
    public void clearLeftovers() {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> left = Files.list(folder)) {
            left.forEach(UploadFile::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses an upload that declares its size up front, before a byte of it is read, when it is
     * over the limit or the disk cannot hold it.
     */
    public void checkDeclaredSize(long declaredBytes) {
        if (declaredBytes > maxBytes) {
            throw new UploadTooLargeException(maxBytes);
        }
        new DiskReserve(reserveBytes).check(folder, "The upload", "the pack", declaredBytes);
    }

    /** A new, empty file for an upload named {@code fileName} by the admin's browser, or null. */
    public UploadFile create(String fileName) throws IOException {
        Files.createDirectories(folder);
        Path own = Files.createTempDirectory(folder, "upload-");
        try {
            return new UploadFile(own, safeName(fileName), maxBytes);
        } catch (IOException | RuntimeException e) {
            UploadFile.delete(own);
            throw e;
        }
    }

    /**
     * Checks the received pack (its pack.json and zip structure, which takes a moment) and
     * starts its import. The upload belongs to the job from here on; if the pack is refused now
     * it is deleted and the exception says why.
     */
    public Started startImport(UploadFile upload) throws IOException {
        Path own = upload.path().getParent();
        String packId;
        long version;
        String packTitle;
        try {
            upload.finish();
            if (ZimImporter.isZim(upload.path())) {
                ZimImporter.Summary zim = ZimImporter.inspect(upload.path());
                packId = zim.packId();
                version = zim.version();
                packTitle = zim.title();
            } else {
                try (PackArchive archive = PackArchive.open(upload.path(), limits)) {
                    PackManifest manifest = archive.manifest();
                    packId = manifest.id();
                    version = manifest.version();
                    packTitle = manifest.title();
                }
            }
        } catch (IOException | RuntimeException e) {
            UploadFile.delete(own);
            throw e;
        }
        JobText title = JobText.of("Import " + upload.name() + " (uploaded, " + Sizes.human(upload.size()) + ")",
                "job.upload.title", upload.name(), new JobText.Bytes(upload.size()));
        Job job;
        try {
            job = jobs.submit("import", title, j -> {
                try {
                    j.message(JobText.of("Importing '" + packTitle + "'", "job.import.message", packTitle));
                    ImportResult r = importer.importPack(upload.path(), j);
                    j.message(JobText.imported(r, describe(r)));
                    return describe(r);
                } finally {
                    UploadFile.delete(own);
                }
            });
        } catch (RuntimeException e) {
            UploadFile.delete(own); // the runner is shutting down: the job never ran
            throw e;
        }
        return new Started(job, packId, version, packTitle, upload.name(), upload.size());
    }

    /** An import that was started from an upload. */
    public record Started(Job job, String packId, long version, String title, String fileName, long bytes) {
    }

    static String describe(ImportResult r) {
        return switch (r.outcome()) {
            case INSTALLED -> "Installed '" + r.title() + "' (" + r.packId() + " version " + r.version() + ")";
            case UPDATED -> "Updated '" + r.title() + "' to version " + r.version();
            case UNCHANGED -> "'" + r.title() + "' version " + r.version() + " was already installed; nothing changed";
        };
    }

    /** The admin's file name, reduced to characters that are safe in any file system and message. */
    static String safeName(String fileName) {
        String base = fileName == null ? "" : fileName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        StringBuilder out = new StringBuilder();
        base.codePoints().limit(MAX_NAME_CHARS).forEach(cp ->
                out.appendCodePoint(Character.isLetterOrDigit(cp) || cp == '.' || cp == '-' || cp == '_' ? cp : '_'));
        String name = out.toString();
        while (name.startsWith(".")) {
            name = name.substring(1);
        }
        return name.isEmpty() ? "upload.zip" : name;
    }
}
