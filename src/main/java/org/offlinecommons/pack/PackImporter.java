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
        ImportGuard disk = new ImportGuard(library, reserveBytes, name);
        boolean published = false;
        // Inflating, hashing and reading documents here; storing chunks and indexing text on the
        // writer's thread: the two halves of an import take about as long, and most boxes have two cores.
        try (WriteBehind writer = library.chunks().bulkWriter("import-writer", WRITES_AHEAD).guardedBy(disk::beforeWrite)) {
            ChunkStore.Batch batch = library.chunks().batch(writer, disk.stagedBy());
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
                disk.discard();
            }
        }
        disk.reclaimSpace();
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
        ImportGuard disk = new ImportGuard(library, reserveBytes, name);
        boolean[] published = {false};
        try (WriteBehind writer = library.chunks().bulkWriter("import-writer", WRITES_AHEAD).guardedBy(disk::beforeWrite)) {
            ChunkStore.Batch batch = library.chunks().batch(writer, disk.stagedBy());
            StreamedItems items = new StreamedItems(library, manifest.entry(), manifest.language(), writer);
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
                disk.discard();
            }
        }
        disk.reclaimSpace();
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
                            ProgressListener progress, ImportGuard disk) {
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
        new DiskReserve(reserveBytes).check(library.dataDir(), name, "the pack with working room",
                ChunkStore.stagingBytes(manifest.totalSize(), manifest.fileCount()));
    }
}
