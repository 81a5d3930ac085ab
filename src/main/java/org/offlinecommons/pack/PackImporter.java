package org.offlinecommons.pack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.StoreException;
import org.offlinecommons.store.WriteBehind;

/**
 * Imports pack zips. A pack is checked whole before anything is stored, its files are staged
 * chunk by chunk outside any long transaction, and it becomes visible in one short transaction
 * at the end, so the library shows it whole or not at all whatever happens meanwhile.
 */
public final class PackImporter {

    /** Disk space left free after an import, so the server and its database can keep working. */
    public static final long DEFAULT_RESERVE_BYTES = DiskReserve.DEFAULT.bytes();
    /** Writes (about 8 MiB each) waiting for the writer thread: bounds the memory they hold. */
    private static final int WRITES_AHEAD = 2;

    private final Library library;
    private final PackLimits limits;
    private final long reserveBytes;

    public PackImporter(Library library) {
        this(library, PackLimits.DEFAULT, DEFAULT_RESERVE_BYTES);
    }

    public PackImporter(Library library, PackLimits limits, long reserveBytes) {
        this.library = library;
        this.limits = limits;
        this.reserveBytes = reserveBytes;
    }

    public ImportResult importPack(Path zipFile, ProgressListener progress) {
        if (ZimImporter.isZim(zipFile)) {
            return new ZimImporter(library, reserveBytes).importZim(zipFile, progress);
        }
        try (PackArchive archive = PackArchive.open(zipFile, limits)) {
            return importArchive(archive, progress);
        }
    }

    private ImportResult importArchive(PackArchive archive, ProgressListener progress) {
        String name = archive.fileName();
        PackManifest manifest = archive.manifest();
        String digest = ManifestCodec.digest(manifest);
        Optional<PackRecord> installed = library.catalog().pack(manifest.id());
        ImportResult unchanged = unchangedOrRefused(name, manifest, digest, installed);
        if (unchanged != null) {
            return unchanged;
        }
        checkFreeSpace(name, manifest);
        try {
            return manifest.streamed() ? importStreamed(archive, digest, installed, progress)
                    : importPlain(archive, digest, installed, progress);
        } catch (PackException e) {
            // The same pack imported twice at once: the one that published second finds it there.
            Optional<PackRecord> now = e.reason() == PackException.Reason.CONFLICT
                    ? library.catalog().pack(manifest.id()) : Optional.empty();
            if (now.isPresent() && now.get().digest().equals(digest)) {
                return new ImportResult(manifest.id(), manifest.version(), manifest.title(),
                        ImportResult.Outcome.UNCHANGED, manifest.totalSize(), 0);
            }
            throw e;
        }
    }

    private ImportResult importPlain(PackArchive archive, String digest, Optional<PackRecord> installed,
                                     ProgressListener progress) {
        String name = archive.fileName();
        PackManifest manifest = archive.manifest();
        // The bytes are checked against pack.json as they are staged; the documents' titles and
        // text are then read back from the library, as a sync does, by the publisher.

        long storedBefore = library.chunks().storedBytes();
        long stagedBy = ChunkStore.newStagingId();
        DiskWatch disk = new DiskWatch(name);
        boolean published = false;
        // Inflating, hashing and reading documents here; storing chunks and indexing text on the
        // writer's thread: the two halves of an import take about as long, and most boxes have two cores.
        try (WriteBehind writer = library.chunks().bulkWriter("import-writer", WRITES_AHEAD).guardedBy(disk::beforeWrite)) {
            ChunkStore.Batch batch = library.chunks().batch(writer, stagedBy);
            ItemStaging items = new ItemStaging(library, manifest, writer);
            try {
                stageFiles(archive, manifest, batch, items, progress, disk);
                batch.flush();
                new PackPublisher(library).publish(items, name, installed.map(PackRecord::digest).orElse(null));
                published = true;
            } finally {
                if (!published) {
                    items.discard();
                }
            }
        } catch (StoreException e) {
            throw disk.full(e);
        } finally {
            if (!published) {
                discard(stagedBy);
            }
        }
        reclaimSpace();
        return published(manifest, installed, storedBefore);
    }

    /**
     * Format 2: the files are staged in path order as the zip is walked, their rows and items
     * written to the library in batches, so memory stays bounded whatever the number of files;
     * the pack appears in one transaction at the end.
     */
    private ImportResult importStreamed(PackArchive archive, String digest, Optional<PackRecord> installed,
                                        ProgressListener progress) {
        String name = archive.fileName();
        PackManifest manifest = archive.manifest();
        long storedBefore = library.chunks().storedBytes();
        long total = manifest.totalSize();
        long stagedBy = ChunkStore.newStagingId();
        DiskWatch disk = new DiskWatch(name);
        boolean[] published = {false};
        try (WriteBehind writer = library.chunks().bulkWriter("import-writer", WRITES_AHEAD).guardedBy(disk::beforeWrite)) {
            ChunkStore.Batch batch = library.chunks().batch(writer, stagedBy);
            StreamedItems items = new StreamedItems(library, manifest.entry(), writer);
            try {
                long[] done = {0};
                archive.forEachFile((f, content) -> {
                    boolean reads = StreamedItems.reads(f);
                    byte[][] small = {null};
                    ChunkStore.StagedFile staged;
                    try (InputStream in = content.open()) {
                        staged = batch.stage(in, f.size(), n -> {
                            done[0] += n;
                            progress.update(done[0], total);
                            disk.staged(n, f.path());
                        }, bytes -> small[0] = bytes);
                    } catch (ChunkStore.TooLargeException e) {
                        throw PackException.invalid(name + ": zip entry '" + f.path() + "' holds more bytes than the "
                                + f.size() + " " + FileList.ENTRY_NAME + " lists");
                    } catch (IOException e) {
                        throw PackException.invalid(name + ": zip entry '" + f.path() + "' cannot be read ("
                                + e.getMessage() + ")");
                    }
                    if (staged.size() != f.size()) {
                        throw PackException.invalid(name + ": zip entry '" + f.path() + "' has " + staged.size()
                                + " bytes but " + FileList.ENTRY_NAME + " says " + f.size());
                    }
                    if (!staged.sha256().equals(f.sha256())) {
                        throw PackException.invalid(name + ": zip entry '" + f.path() + "' does not match its sha256"
                                + " in " + FileList.ENTRY_NAME + " (the file is damaged or was changed)");
                    }
                    byte[] bytes = null;
                    if (reads) {
                        bytes = small[0];
                        if (bytes == null) {
                            // A document too large to pass by in memory: read again, checked again.
                            try (InputStream in = content.open()) {
                                bytes = in.readNBytes((int) f.size());
                            }
                            if (!org.offlinecommons.store.Hashes.sha256Hex(bytes).equals(f.sha256())) {
                                throw PackException.invalid(name + ": zip entry '" + f.path() + "' changed while it"
                                        + " was read");
                            }
                        }
                    }
                    items.add(f, bytes);
                });
                batch.flush();
                items.finish();
                PackRecord record = new PackRecord(manifest.id(), manifest.version(), manifest.title(),
                        manifest.description(), manifest.language(), manifest.license(), manifest.authors(),
                        manifest.created(), manifest.entry(), digest, total, Math.toIntExact(manifest.fileCount()), 0,
                        System.currentTimeMillis());
                try {
                    library.publishStaged(record, new String(ManifestCodec.write(manifest),
                                    java.nio.charset.StandardCharsets.UTF_8), PackManifest.FORMAT_2, items.batch(),
                            items.batch(), installed.map(PackRecord::digest).orElse(null));
                } catch (org.offlinecommons.store.Catalog.ConcurrentChangeException
                         | org.offlinecommons.store.Catalog.IncompleteContentException e) {
                    throw new PackException(PackException.Reason.CONFLICT, name + ": " + e.getMessage(), e);
                }
                published[0] = true;
                library.catalog().discardStaged(items.batch());
            } catch (IOException e) {
                throw PackException.invalid(name + ": cannot be read (" + e.getMessage() + ")");
            } finally {
                if (!published[0]) {
                    items.discard();
                }
            }
        } catch (StoreException e) {
            throw disk.full(e);
        } finally {
            if (!published[0]) {
                discard(stagedBy);
            }
        }
        reclaimSpace();
        return published(manifest, installed, storedBefore);
    }

    /** What an import that published did: installed or updated, and the bytes it newly stored. */
    private ImportResult published(PackManifest manifest, Optional<PackRecord> installed, long storedBefore) {
        long stored = Math.max(0, library.chunks().storedBytes() - storedBefore);
        return new ImportResult(manifest.id(), manifest.version(), manifest.title(),
                installed.isPresent() ? ImportResult.Outcome.UPDATED : ImportResult.Outcome.INSTALLED,
                manifest.totalSize(), stored);
    }

    /** The answer when {@code installed} is this very pack (null if it is not), or the refusal. */
    private static ImportResult unchangedOrRefused(String name, PackManifest manifest, String digest,
                                                   Optional<PackRecord> installed) {
        if (installed.isEmpty()) {
            return null;
        }
        PackRecord current = installed.get();
        if (current.version() == manifest.version()) {
            if (current.digest().equals(digest)) {
                return new ImportResult(manifest.id(), manifest.version(), manifest.title(),
                        ImportResult.Outcome.UNCHANGED, manifest.totalSize(), 0);
            }
            throw new PackException(PackException.Reason.CONFLICT, name + ": pack '" + manifest.id()
                    + "' version " + manifest.version() + " is already installed with different content;"
                    + " a changed pack needs a higher version number");
        }
        if (current.version() > manifest.version()) {
            throw new PackException(PackException.Reason.CONFLICT, name + ": pack '" + manifest.id()
                    + "' version " + manifest.version() + " is older than the installed version "
                    + current.version() + "; nothing was changed");
        }
        return null;
    }

    /** Stores every file's bytes, checked against pack.json; documents are read on the way. */
    private void stageFiles(PackArchive archive, PackManifest manifest, ChunkStore.Batch batch, ItemStaging items,
                            ProgressListener progress, DiskWatch disk) {
        String name = archive.fileName();
        long total = manifest.totalSize();
        long[] done = {0};
        for (PackManifest.FileEntry f : manifest.files()) {
            ChunkStore.StagedFile staged;
            byte[][] content = {null};
            try (InputStream in = archive.open(f)) {
                staged = batch.stage(in, f.size(), n -> {
                    done[0] += n;
                    progress.update(done[0], total);
                    disk.staged(n, f.path());
                }, bytes -> content[0] = bytes);
            } catch (ChunkStore.TooLargeException e) {
                throw PackException.invalid(name + ": zip entry '" + f.path() + "' holds more bytes than the "
                        + f.size() + " pack.json lists");
            } catch (IOException e) {
                throw PackException.invalid(name + ": zip entry '" + f.path() + "' cannot be read ("
                        + e.getMessage() + ")");
            }
            if (staged.size() != f.size()) {
                throw PackException.invalid(name + ": zip entry '" + f.path() + "' has " + staged.size()
                        + " bytes but pack.json says " + f.size());
            }
            if (!staged.sha256().equals(f.sha256())) {
                throw PackException.invalid(name + ": zip entry '" + f.path()
                        + "' does not match its sha256 in pack.json (the file is damaged or was changed)");
            }
            if (content[0] != null) {
                items.offer(f.sha256(), content[0]);
            }
        }
    }

    private void checkFreeSpace(String name, PackManifest manifest) {
        // "the pack" counts the room its chunks take in the WAL before they are checkpointed too.
        new DiskReserve(reserveBytes).check(library.dataDir(), name, "the pack",
                manifest.totalSize() + walAllowance(manifest.totalSize()));
    }

    /**
     * What the WAL may grow to while a pack is stored: up to the pack's size, but checkpoints
     * during bulk writes keep it near their interval (about 64 MiB of pages) whatever the pack.
     */
    static long walAllowance(long packBytes) {
        return Math.min(packBytes, 96L << 20);
    }

    /**
     * Below this much free space (beside the reserve) an import stops. Between two checks of the
     * writer, a batch of chunks (8 MiB) goes into the WAL while those before it are checkpointed
     * into the library file, which grows by as much: 16 MiB, and a margin for index pages. Once
     * SQLite itself finds the disk full, even removing what was staged may fail.
     */
    private static final long STAGING_HEADROOM = 24L << 20;

    /**
     * Watches the free space while an import stores its files: another program may fill the disk
     * meanwhile, and an import that runs the disk dry leaves SQLite unable even to clean up.
     */
    private final class DiskWatch {
        private final String name;
        private long sinceCheck = Long.MAX_VALUE / 2;
        private volatile String current = "";

        DiskWatch(String name) {
            this.name = name;
        }

        /** On the reading thread, as bytes are read: stops reading once the disk is nearly full. */
        void staged(long bytes, String path) {
            current = path;
            sinceCheck += bytes;
            if (sinceCheck < (1L << 20)) {
                return;
            }
            sinceCheck = 0;
            check(current);
        }

        /** On the writer thread, before each write of up to a batch: the last moment to stop. */
        void beforeWrite() {
            check(current);
        }

        private void check(String path) {
            long usable = DiskReserve.usableBytes(library.dataDir());
            if (usable >= 0 && usable < reserveBytes + STAGING_HEADROOM) {
                throw new PackException(PackException.Reason.NO_SPACE, name + ": the disk holding "
                        + library.dataDir() + " is full (" + Sizes.human(usable) + " free, " + Sizes.human(reserveBytes)
                        + " kept in reserve) while storing '" + path + "'; nothing was imported and what was"
                        + " stored is removed; free some space or delete packs");
            }
        }

        /** A write that failed: for lack of disk, said so and naming the file, else as it was. */
        RuntimeException full(StoreException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("SQLITE_FULL") || m.contains("disk is full") || m.contains("No space left")) {
                return new PackException(PackException.Reason.NO_SPACE, name + ": the disk holding "
                        + library.dataDir() + " is full while storing '" + current + "'; nothing was imported and"
                        + " what was stored is removed; free some space or delete packs", e);
            }
            return e;
        }
    }

    /** Truncates the WAL an import grew, and gives back the pages of a version it replaced. */
    private void reclaimSpace() {
        try {
            library.reclaimSpace();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(PackImporter.class).warn(
                    "Could not give free space back to the disk after an import: {}", e.getMessage());
        }
    }

    /** Removes what a failed import staged, at once; never hides the failure itself. */
    private void discard(long stagedBy) {
        try {
            library.discardStaged(stagedBy);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(PackImporter.class).warn(
                    "Could not remove what a failed import stored (a later sweep will): {}", e.getMessage());
        }
    }
}
