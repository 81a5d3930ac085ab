package org.offlinecommons.store;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;

/** One library: its database and the views onto it. The entry point for everything above. */
public final class Library implements AutoCloseable {

    private final Path dataDir;
    private final Database db;
    private final Catalog catalog;
    private final ChunkStore chunks;
    private final SearchIndex search;
    private final TitleSuggestions suggestions;

    private Library(Path dataDir, Database db) {
        this.dataDir = dataDir;
        this.db = db;
        this.catalog = new Catalog(db);
        this.chunks = new ChunkStore(db);
        this.search = new SearchIndex(db, catalog, chunks);
        this.suggestions = new TitleSuggestions(db, search.gate());
    }

    public static Library open(Path dataDir) {
        Library library = new Library(dataDir, Database.open(dataDir));
        try {
            // Read-only (a full disk): it serves what the index holds; the rebuild waits for space.
            if (!library.readOnly()) {
                library.search.rebuildPending();
            }
        } catch (RuntimeException e) {
            library.close();
            throw e;
        }
        return library;
    }

    /**
     * True when the disk was full at open, so the library is read-only: it lists, verifies, serves
     * and backs up; imports and deletes fail with a message saying why.
     */
    public boolean readOnly() {
        return db.readOnly();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path databaseFile() {
        return db.file();
    }

    public Catalog catalog() {
        return catalog;
    }

    public ChunkStore chunks() {
        return chunks;
    }

    /**
     * A number that has grown if anything was committed to the library since it was last read, by
     * this process (at once) or another (the CLI next to the server; within a tenth of a second):
     * a test cheap enough for every request, for caches of what was read.
     */
    public long generation() {
        return db.generation();
    }

    public SearchIndex search() {
        return search;
    }

    /** Titles for the search box while a person types; shares the searches' admission. */
    public TitleSuggestions suggestions() {
        return suggestions;
    }

    /**
     * Makes a pack visible (replacing an installed version) and frees what the replaced version
     * alone used. {@code replacesDigest} is the installed version this replaces (null if none):
     * if that changed meanwhile, nothing is published.
     */
    public void publish(PackRecord pack, String manifest, List<StoredFile> files, List<Item> items,
                        long[] searchRows, String textBatch, String replacesDigest) {
        catalog.publish(pack, manifest, files, items, searchRows, textBatch, replacesDigest);
        freeReleased();
    }

    /**
     * Publishes a pack staged in SQL ({@link Catalog#publishStaged}) and frees what the version
     * it replaces alone used. Returns the pack as published.
     */
    public PackRecord publishStaged(PackRecord pack, String packJson, int format, String batch, String textBatch,
                                    String replacesDigest) {
        PackRecord published = catalog.publishStaged(pack, packJson, format, batch, textBatch, replacesDigest);
        freeReleased();
        return published;
    }

    /** Removes a pack and frees the storage no other pack shares. False if it was not installed. */
    public boolean delete(String packId) {
        boolean deleted = catalog.delete(packId);
        freeReleased();
        if (deleted) {
            reclaimSpace();
        }
        return deleted;
    }

    /**
     * Removes at once what a failed or refused import staged under {@code stagedBy} (see
     * {@link ChunkStore#batch(WriteBehind, long)}) and gives the space back to the disk. Best
     * effort: what cannot be removed now (a disk too full even for that) is swept later.
     */
    public void discardStaged(long stagedBy) {
        try {
            db.truncateWal();
        } catch (StoreException e) {
            // a reader holds it: the deletes below reuse what they can
        }
        chunks.discardStaged(stagedBy);
        reclaimSpace();
    }

    /** Gives free pages back to the filesystem and truncates the WAL; see {@link Database#reclaimSpace}. */
    public long reclaimSpace() {
        return db.reclaimSpace();
    }

    /**
     * Frees, a thousand at a time, the contents that deleted or replaced packs used and no
     * installed pack uses any more: memory stays bounded whatever the size of the pack. What a
     * crash leaves listed is freed by the next call, or by a sweep.
     */
    private void freeReleased() {
        while (true) {
            List<String> hashes = catalog.released(1000);
            if (hashes.isEmpty()) {
                return;
            }
            chunks.release(hashes);
            catalog.forgetReleased(hashes);
        }
    }

    /** A small persistent setting (the server's identity, for example). */
    public Optional<String> setting(String key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM setting WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    public void putSetting(String key, String value) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** SQLite's own consistency check: "ok", or the problems it found. */
    public List<String> integrityCheck() {
        return db.quickCheck();
    }

    /** A consistent copy of the library, taken while it serves. {@code target} must not exist. */
    public void backupTo(Path target) {
        if (java.nio.file.Files.exists(target)) {
            throw new StoreException(target + " already exists; choose a new file name for the backup", null);
        }
        db.backupTo(target);
    }

    /**
     * Replaces the library in {@code dataDir} with a backup. The library must not be open
     * anywhere (stop the server first); the backup is checked before anything is replaced,
     * and the library it replaces is kept beside it as {@code library.db.before-restore}.
     */
    public static void restore(Path backup, Path dataDir) {
        if (!java.nio.file.Files.isRegularFile(backup)) {
            throw new StoreException(backup + ": no such backup file", null);
        }
        try {
            java.nio.file.Files.createDirectories(dataDir);
            Path staging = dataDir.resolve("library.db.restoring");
            java.nio.file.Files.copy(backup, staging, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (Database check = Database.open(staging.getParent(), 1, staging.getFileName().toString())) {
                List<String> problems = check.quickCheck();
                if (!problems.equals(List.of("ok"))) {
                    throw new StoreException(backup + ": is damaged (" + String.join("; ", problems) + ")", null);
                }
            } catch (StoreException e) {
                java.nio.file.Files.deleteIfExists(staging);
                throw new StoreException(backup + ": is not a usable library backup; nothing was changed ("
                        + e.getMessage() + ")", e);
            }
            Path live = dataDir.resolve("library.db");
            if (java.nio.file.Files.exists(live)) {
                java.nio.file.Files.move(live, dataDir.resolve("library.db.before-restore"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            java.nio.file.Files.deleteIfExists(dataDir.resolve("library.db-wal"));
            java.nio.file.Files.deleteIfExists(dataDir.resolve("library.db-shm"));
            java.nio.file.Files.move(staging, live, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new StoreException("Cannot restore " + backup + " into " + dataDir + ": " + e.getMessage(), e);
        }
    }

    Database database() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }
}
