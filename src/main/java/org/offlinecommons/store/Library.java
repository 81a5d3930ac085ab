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

    private Library(Path dataDir, Database db) {
        this.dataDir = dataDir;
        this.db = db;
        this.catalog = new Catalog(db);
        this.chunks = new ChunkStore(db);
        this.search = new SearchIndex(db);
    }

    public static Library open(Path dataDir) {
        return new Library(dataDir, Database.open(dataDir));
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

    public SearchIndex search() {
        return search;
    }

    /**
     * Makes a pack visible (replacing an installed version) and frees what the replaced version
     * alone used. {@code replacesDigest} is the installed version this replaces (null if none):
     * if that changed meanwhile, nothing is published.
     */
    public void publish(PackRecord pack, List<StoredFile> files, List<Item> items, String textBatch,
                        String replacesDigest) {
        List<String> before = catalog.files(pack.id()).stream().map(StoredFile::sha256).toList();
        catalog.publish(pack, files, items, textBatch, replacesDigest);
        chunks.release(before);
    }

    /** Removes a pack and frees the storage no other pack shares. False if it was not installed. */
    public boolean delete(String packId) {
        List<String> before = catalog.files(packId).stream().map(StoredFile::sha256).toList();
        boolean deleted = catalog.delete(packId);
        chunks.release(before);
        return deleted;
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

    Database database() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }
}
