package org.offlinecommons.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The installed packs, their files and items: what the library shows. */
public final class Catalog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PACK_COLUMNS = "id, version, title, description, language, license, authors,"
            + " created, entry, digest, total_size, file_count, item_count, installed_at";

    private final Database db;

    public Catalog(Database db) {
        this.db = db;
    }

    public List<PackRecord> packs() {
        return db.read(c -> {
            List<PackRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + PACK_COLUMNS + " FROM pack ORDER BY title COLLATE NOCASE, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(pack(rs));
                }
            }
            return out;
        });
    }

    /** How many packs are installed. */
    public int count() {
        return db.query("SELECT count(*) FROM pack", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    /**
     * Whether a pack is installed: one index lookup, for a 404 or a link check.
     */
    public boolean exists(String id) {
        return db.query("SELECT 1 FROM pack WHERE id = ?", ps -> {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    public Optional<PackRecord> pack(String id) {
        return db.read(c -> pack(c, id));
    }

    static Optional<PackRecord> pack(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + PACK_COLUMNS + " FROM pack WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(pack(rs)) : Optional.empty();
            }
        }
    }

    /**
     * The canonical pack.json of the installed pack {@code packId} whose digest is {@code digest};
     * empty when that pack is not (or no longer) installed in that version.
     */
    public Optional<String> manifest(String packId, String digest) {
        return db.query("SELECT manifest FROM pack WHERE id = ? AND digest = ?", ps -> {
            ps.setString(1, packId);
            ps.setString(2, digest);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        });
    }

    public List<StoredFile> files(String packId) {
        return db.read(c -> {
            List<StoredFile> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT path, size, sha256 FROM pack_file WHERE pack_id = ? ORDER BY path")) {
                ps.setString(1, packId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredFile(rs.getString(1), rs.getLong(2), rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }

    /** A file of an installed pack with its media type (null when its path gives it). */
    public Optional<ListedFile> listedFile(String packId, String path) {
        return db.query("SELECT path, size, sha256, media_type FROM pack_file WHERE pack_id = ? AND path = ?", ps -> {
            ps.setString(1, packId);
            ps.setString(2, path);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new ListedFile(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
                        : Optional.empty();
            }
        });
    }

    public Optional<StoredFile> file(String packId, String path) {
        return db.query("SELECT path, size, sha256 FROM pack_file WHERE pack_id = ? AND path = ?", ps -> {
            ps.setString(1, packId);
            ps.setString(2, path);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new StoredFile(rs.getString(1), rs.getLong(2), rs.getString(3)))
                        : Optional.empty();
            }
        });
    }

    public List<Item> items(String packId) {
        return db.read(c -> {
            List<Item> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT position, path, entry, title, kind, timestamp"
                    + " FROM item WHERE pack_id = ? ORDER BY position")) {
                ps.setString(1, packId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(item(rs));
                    }
                }
            }
            return out;
        });
    }

    /**
     * One page of a pack's items in reading order: at most {@code limit} items from position
     * {@code offset} on, read by the (pack_id, position) index, so a page costs the same in a
     * pack of ten items or of a million.
     */
    public List<Item> items(String packId, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        return db.read(c -> {
            List<Item> out = new ArrayList<>(Math.min(limit, 1024));
            try (PreparedStatement ps = c.prepareStatement("SELECT position, path, entry, title, kind, timestamp"
                    + " FROM item WHERE pack_id = ? AND position >= ? ORDER BY position LIMIT ?")) {
                ps.setString(1, packId);
                ps.setInt(2, offset);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(item(rs));
                    }
                }
            }
            return out;
        });
    }

    public Optional<Item> item(String packId, int position) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT position, path, entry, title, kind, timestamp"
                    + " FROM item WHERE pack_id = ? AND position = ?")) {
                ps.setString(1, packId);
                ps.setInt(2, position);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(item(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The first item (in reading order) showing the file at {@code path}, found by index. */
    public Optional<Item> firstItemAt(String packId, String path) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT position, path, entry, title, kind, timestamp"
                    + " FROM item WHERE pack_id = ? AND path = ? ORDER BY position LIMIT 1")) {
                ps.setString(1, packId);
                ps.setString(2, path);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(item(rs)) : Optional.empty();
                }
            }
        });
    }

    static Item item(ResultSet rs) throws SQLException {
        int entry = rs.getInt(3);
        Integer entryOrNull = rs.wasNull() ? null : entry;
        return new Item(rs.getInt(1), rs.getString(2), entryOrNull, rs.getString(4), rs.getString(5),
                rs.getString(6));
    }

    /**
     * Makes {@code pack} visible, replacing any installed version of it, in one short
     * transaction. Every file's recipe and chunks, and every item's row of the search index
     * ({@code searchRows[i]} for {@code items.get(i)}, staged under {@code textBatch} by
     * {@link SearchIndex#stage}), must already be stored; if any is missing (a concurrent delete
     * swept it), nothing changes and the caller may stage again.
     */
    public void publish(PackRecord pack, String manifest, List<StoredFile> files, List<Item> items,
                        long[] searchRows, String textBatch, String replacesDigest) {
        if (searchRows.length != items.size()) {
            throw new IllegalArgumentException(items.size() + " items but " + searchRows.length + " search rows");
        }
        db.write(c -> {
            String current = pack(c, pack.id()).map(PackRecord::digest).orElse(null);
            if (!java.util.Objects.equals(current, replacesDigest)) {
                throw new ConcurrentChangeException(pack.id());
            }
            requireStaged(c, files);
            deletePack(c, pack.id());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pack(" + PACK_COLUMNS
                    + ", manifest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bindPack(ps, pack);
                ps.setString(15, manifest);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO pack_file(pack_id, path, size, sha256) VALUES (?, ?, ?, ?)")) {
                for (StoredFile f : files) {
                    ps.setString(1, pack.id());
                    ps.setString(2, f.path());
                    ps.setLong(3, f.size());
                    ps.setString(4, f.sha256());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            // Each item takes the id of its search row, already indexed while the pack was staged.
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO item(id, pack_id, position, path, entry,"
                    + " title, kind, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement claim = c.prepareStatement(
                         "DELETE FROM staged_search WHERE row = ? AND batch = ?")) {
                for (int i = 0; i < items.size(); i++) {
                    Item it = items.get(i);
                    claim.setLong(1, searchRows[i]);
                    claim.setString(2, textBatch);
                    if (claim.executeUpdate() != 1) {
                        throw new IncompleteContentException("search text of item " + it.position());
                    }
                    ins.setLong(1, searchRows[i]);
                    ins.setString(2, pack.id());
                    ins.setInt(3, it.position());
                    ins.setString(4, it.path());
                    if (it.entry() == null) {
                        ins.setNull(5, java.sql.Types.INTEGER);
                    } else {
                        ins.setInt(5, it.entry());
                    }
                    ins.setString(6, it.title());
                    ins.setString(7, it.kind());
                    ins.setString(8, it.timestamp());
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            return null;
        });
    }

    /** A file of a pack being staged, or listed from SQL: {@code mediaType} null when its path gives it. */
    public record ListedFile(String path, long size, String sha256, String mediaType) {
    }

    /**
     * An item staged for a pack not yet published, with its search row. Reading order is
     * {@code rank} (0 for the entry page; then any order {@link #rankStaged} gives), then {@code fileSeq} (the file's place
     * in path order), then {@code sub} (a notes file's entries).
     */
    public record StagedItem(int rank, long fileSeq, int sub, Item item, long row) {
    }

    /** Adds files to the staged batch {@code batch} (one short transaction). */
    public void stageFiles(String batch, List<ListedFile> files) {
        if (files.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO staged_file(batch, path, size, sha256,"
                    + " media_type, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (ListedFile f : files) {
                    ps.setString(1, batch);
                    ps.setString(2, f.path());
                    ps.setLong(3, f.size());
                    ps.setString(4, f.sha256());
                    ps.setString(5, f.mediaType());
                    ps.setLong(6, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Adds items to the staged batch {@code batch} (one short transaction). */
    public void stageItems(String batch, List<StagedItem> items) {
        if (items.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO staged_item(batch, rank, file_seq, sub, path,"
                    + " entry, title, kind, timestamp, row, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (StagedItem s : items) {
                    Item it = s.item();
                    ps.setString(1, batch);
                    ps.setInt(2, s.rank());
                    ps.setLong(3, s.fileSeq());
                    ps.setInt(4, s.sub());
                    ps.setString(5, it.path());
                    if (it.entry() == null) {
                        ps.setNull(6, java.sql.Types.INTEGER);
                    } else {
                        ps.setInt(6, it.entry());
                    }
                    ps.setString(7, it.title());
                    ps.setString(8, it.kind());
                    ps.setString(9, it.timestamp());
                    ps.setLong(10, s.row());
                    ps.setLong(11, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** A file staged under {@code batch}, if there is one at {@code path}. */
    public Optional<ListedFile> stagedFile(String batch, String path) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT size, sha256, media_type FROM staged_file"
                    + " WHERE batch = ? AND path = ?")) {
                ps.setString(1, batch);
                ps.setString(2, path);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new ListedFile(path, rs.getLong(1), rs.getString(2),
                            rs.getString(3))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Gives the items staged under {@code batch} at {@code paths.get(i)} the rank {@code firstRank + i}:
     * a reading order learnt once the whole pack is staged (a website's own, from its pages'
     * links). The batch's items are scanned on a reader; the write lock is held only for the
     * updates by key.
     */
    public void rankStaged(String batch, List<String> paths, int firstRank) {
        if (paths.isEmpty()) {
            return;
        }
        String json;
        try {
            json = JSON.writeValueAsString(paths);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        record Key(int rank, long fileSeq, int sub, int newRank) {
        }
        java.util.Map<String, Integer> rankOf = new java.util.HashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            rankOf.putIfAbsent(paths.get(i), firstRank + i);
        }
        List<Key> keys = db.read(c -> {
            List<Key> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT rank, file_seq, sub, path FROM staged_item"
                    + " WHERE batch = ? AND path IN (SELECT value FROM json_each(?))")) {
                ps.setString(1, batch);
                ps.setString(2, json);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Key(rs.getInt(1), rs.getLong(2), rs.getInt(3), rankOf.get(rs.getString(4))));
                    }
                }
            }
            return out;
        });
        if (keys.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE staged_item SET rank = ? WHERE batch = ?"
                    + " AND rank = ? AND file_seq = ? AND sub = ?")) {
                for (Key k : keys) {
                    ps.setInt(1, k.newRank());
                    ps.setString(2, batch);
                    ps.setInt(3, k.rank());
                    ps.setLong(4, k.fileSeq());
                    ps.setInt(5, k.sub());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * Removes the files and items staged under {@code batch}, and any staged a day ago or
     * earlier (by an import that was killed). Never throws.
     */
    public void discardStaged(String batch) {
        try {
            long dayAgo = System.currentTimeMillis() - 24L * 3600 * 1000;
            db.write(c -> {
                for (String table : List.of("staged_file", "staged_item")) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                            + " WHERE batch = ? OR created_at < ?")) {
                        ps.setString(1, batch);
                        ps.setLong(2, dayAgo);
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            // Left for the next import's clean-up: staged rows are invisible.
        }
    }

    /**
     * Publishes the pack staged under {@code batch} (files by {@link #stageFiles}, items by
     * {@link #stageItems} with rows staged under {@code textBatch}) in one transaction, moving
     * the rows in SQL: nothing per file passes through memory. Images are no items in a pack
     * with HTML pages (docs/pack-format.md). Returns the pack as published (its item count).
     */
    public PackRecord publishStaged(PackRecord pack, String packJson, int format, String batch, String textBatch,
                                    String replacesDigest) {
        return db.write(c -> {
            String current = pack(c, pack.id()).map(PackRecord::digest).orElse(null);
            if (!java.util.Objects.equals(current, replacesDigest)) {
                throw new ConcurrentChangeException(pack.id());
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT sf.path FROM staged_file sf LEFT JOIN file_recipe r ON r.file_hash = sf.sha256
                    WHERE sf.batch = ? AND (r.file_hash IS NULL OR r.size != sf.size OR r.chunk_count !=
                      (SELECT count(*) FROM file_chunk fc WHERE fc.file_hash = sf.sha256
                         AND EXISTS (SELECT 1 FROM chunk ch WHERE ch.hash = fc.chunk_hash))
                      + (r.chunk_count = 1 AND NOT EXISTS (SELECT 1 FROM file_chunk fc WHERE fc.file_hash = sf.sha256)
                         AND EXISTS (SELECT 1 FROM chunk ch WHERE ch.hash = sf.sha256 AND ch.size = sf.size)))
                    LIMIT 1""")) {
                ps.setString(1, batch);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new IncompleteContentException(rs.getString(1));
                    }
                }
            }
            deletePack(c, pack.id());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pack(" + PACK_COLUMNS
                    + ", manifest, format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bindPack(ps, pack);
                ps.setString(15, packJson);
                ps.setInt(16, format);
                ps.executeUpdate();
            }
            int files;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pack_file(pack_id, path, size, sha256,"
                    + " media_type) SELECT ?, path, size, sha256, media_type FROM staged_file WHERE batch = ?")) {
                ps.setString(1, pack.id());
                ps.setString(2, batch);
                files = ps.executeUpdate();
            }
            if (files != pack.fileCount()) {
                throw new IncompleteContentException(pack.fileCount() + " files of pack '" + pack.id() + "' ("
                        + files + " staged)");
            }
            String kept = "batch = ? AND (kind != 'image' OR NOT EXISTS"
                    + " (SELECT 1 FROM staged_item h WHERE h.batch = staged_item.batch AND h.kind = 'html'))";
            int items;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item(id, pack_id, position, path, entry, title,"
                    + " kind, timestamp) SELECT row, ?, row_number() OVER (ORDER BY rank, file_seq, sub) - 1, path,"
                    + " entry, title, kind, timestamp FROM staged_item WHERE " + kept)) {
                ps.setString(1, pack.id());
                ps.setString(2, batch);
                items = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM staged_search WHERE batch = ? AND row IN"
                    + " (SELECT row FROM staged_item WHERE " + kept + ")")) {
                ps.setString(1, textBatch);
                ps.setString(2, batch);
                if (ps.executeUpdate() != items) {
                    throw new IncompleteContentException("the search text of pack '" + pack.id() + "'");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE pack SET item_count = ? WHERE id = ?")) {
                ps.setInt(1, items);
                ps.setString(2, pack.id());
                ps.executeUpdate();
            }
            for (String table : List.of("staged_file", "staged_item")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE batch = ?")) {
                    ps.setString(1, batch);
                    ps.executeUpdate();
                }
            }
            return new PackRecord(pack.id(), pack.version(), pack.title(), pack.description(), pack.language(),
                    pack.license(), pack.authors(), pack.created(), pack.entry(), pack.digest(), pack.totalSize(),
                    pack.fileCount(), items, pack.installedAt());
        });
    }

    /**
     * A page of the files of the installed pack {@code packId} at {@code digest}, in path order
     * (UTF-8 byte order), after {@code afterPath} (null: from the first). Empty when that pack
     * is no longer installed at that digest: a caller paging through a pack notices a
     * replacement instead of mixing two versions.
     */
    public Optional<List<ListedFile>> filesPage(String packId, String digest, String afterPath, int limit) {
        return db.read(c -> {
            try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM pack WHERE id = ? AND digest = ?")) {
                check.setString(1, packId);
                check.setString(2, digest);
                try (ResultSet rs = check.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                }
            }
            List<ListedFile> out = new ArrayList<>(Math.min(limit, 4096));
            try (PreparedStatement ps = c.prepareStatement("SELECT path, size, sha256, media_type FROM pack_file"
                    + " WHERE pack_id = ? AND path > ? ORDER BY path LIMIT ?")) {
                ps.setString(1, packId);
                ps.setString(2, afterPath == null ? "" : afterPath);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ListedFile(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            return Optional.of(out);
        });
    }

    /**
     * A piece of a format-2 pack's sync manifest: the {@code files} files after {@code afterPath}
     * (null: from the first) of the pack with {@code digest}, {@code packId} installed.
     */
    public record SyncPiece(String packId, String digest, int seq, String hash, long size, int files,
                            String afterPath) {
    }

    /** The pieces recorded for the installed pack with {@code digest}, in order; empty if none yet. */
    public List<SyncPiece> syncPieces(String packId, String digest) {
        return db.query("SELECT seq, hash, size, files, after_path FROM sync_piece WHERE digest = ? ORDER BY seq",
                ps -> {
                    ps.setString(1, digest);
                    List<SyncPiece> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new SyncPiece(packId, digest, rs.getInt(1), rs.getString(2), rs.getLong(3),
                                    rs.getInt(4), rs.getString(5)));
                        }
                    }
                    return out;
                });
    }

    /** Records a pack's pieces (replacing any), and forgets those of packs no longer installed. */
    public void putSyncPieces(String digest, List<SyncPiece> pieces) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM sync_piece WHERE digest = ? OR digest NOT IN (SELECT digest FROM pack)")) {
                ps.setString(1, digest);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_piece(digest, seq, hash, size, files,"
                    + " after_path) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (SyncPiece p : pieces) {
                    ps.setString(1, digest);
                    ps.setInt(2, p.seq());
                    ps.setString(3, p.hash());
                    ps.setLong(4, p.size());
                    ps.setInt(5, p.files());
                    ps.setString(6, p.afterPath());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The recorded piece named {@code hash} of some installed pack. */
    public Optional<SyncPiece> syncPiece(String hash) {
        return db.query("SELECT p.id, sp.digest, sp.seq, sp.hash, sp.size, sp.files, sp.after_path FROM sync_piece sp"
                + " JOIN pack p ON p.digest = sp.digest WHERE sp.hash = ? LIMIT 1", ps -> {
                    ps.setString(1, hash);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(new SyncPiece(rs.getString(1), rs.getString(2), rs.getInt(3),
                                rs.getString(4), rs.getLong(5), rs.getInt(6), rs.getString(7))) : Optional.empty();
                    }
                });
    }

    /** Whether any file of the packs {@code packIds} is made with the chunk {@code chunkHash}. */
    public boolean usesChunk(List<String> packIds, String chunkHash) {
        return db.read(c -> {
            // A file of one chunk has the chunk's hash and no file_chunk row (ChunkStore.writeRecipe).
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pack_file pf WHERE pf.sha256 = ?1"
                    + " AND pf.pack_id = ?2 UNION ALL SELECT 1 FROM file_chunk fc JOIN pack_file pf"
                    + " ON pf.sha256 = fc.file_hash WHERE fc.chunk_hash = ?1 AND pf.pack_id = ?2 LIMIT 1")) {
                for (String id : packIds) {
                    ps.setString(1, chunkHash);
                    ps.setString(2, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return true;
                        }
                    }
                }
            }
            return false;
        });
    }

    /** The UTF-8 bytes of all a pack's paths together, worked out in SQL. */
    public long pathBytes(String packId) {
        return db.query("SELECT coalesce(sum(length(CAST(path AS BLOB))), 0) FROM pack_file WHERE pack_id = ?", ps -> {
            ps.setString(1, packId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** The pack.json format an installed pack was published from (1 or 2). */
    public int format(String packId) {
        return db.query("SELECT format FROM pack WHERE id = ?", ps -> {
            ps.setString(1, packId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    /** Up to {@code limit} contents that a deleted or replaced pack used, to be freed. */
    List<String> released(int limit) {
        return db.query("SELECT sha256 FROM released_file LIMIT ?", ps -> {
            ps.setInt(1, limit);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    void forgetReleased(List<String> hashes) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM released_file WHERE sha256 = ?")) {
                for (String h : hashes) {
                    ps.setString(1, h);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Removes a pack; returns false if it was not installed. Its storage is freed by a sweep. */
    public boolean delete(String id) {
        return db.write(c -> deletePack(c, id));
    }

    private static boolean deletePack(Connection c, String id) throws SQLException {
        // What the pack used is freed after this transaction, by Library, a batch at a time.
        try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO released_file(sha256)"
                + " SELECT DISTINCT sha256 FROM pack_file WHERE pack_id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM search WHERE rowid IN (SELECT id FROM item WHERE pack_id = ?)")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM item WHERE pack_id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM pack_file WHERE pack_id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM pack WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() > 0;
        }
    }

    private static void requireStaged(Connection c, List<StoredFile> files) throws SQLException {
        try (PreparedStatement recipe = c.prepareStatement(
                "SELECT size, chunk_count FROM file_recipe WHERE file_hash = ?");
             PreparedStatement chunks = c.prepareStatement("""
                     SELECT count(*), coalesce(sum(fc.size), 0),
                            count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM chunk ch WHERE ch.hash = fc.chunk_hash))
                     FROM file_chunk fc WHERE fc.file_hash = ?""");
             PreparedStatement oneChunk = c.prepareStatement("SELECT size FROM chunk WHERE hash = ?")) {
            for (StoredFile f : files) {
                recipe.setString(1, f.sha256());
                long size;
                int count;
                try (ResultSet rs = recipe.executeQuery()) {
                    if (!rs.next()) {
                        throw new IncompleteContentException(f.path());
                    }
                    size = rs.getLong(1);
                    count = rs.getInt(2);
                }
                chunks.setString(1, f.sha256());
                boolean complete;
                try (ResultSet rs = chunks.executeQuery()) {
                    rs.next();
                    int rows = rs.getInt(1);
                    if (rows == 0 && count == 1) {
                        // A file of one chunk is that chunk, with no file_chunk row (ChunkStore.writeRecipe).
                        oneChunk.setString(1, f.sha256());
                        try (ResultSet one = oneChunk.executeQuery()) {
                            complete = one.next() && one.getLong(1) == size;
                        }
                    } else {
                        complete = rows == count && rs.getLong(2) == size && rs.getInt(3) == 0;
                    }
                }
                if (size != f.size() || !complete) {
                    throw new IncompleteContentException(f.path());
                }
            }
        }
    }

    /** Another import or sync changed the same pack while this one was being prepared. */
    public static final class ConcurrentChangeException extends StoreException {
        public ConcurrentChangeException(String packId) {
            super("pack '" + packId + "' was changed by another import while this one ran; nothing was changed, try again",
                    null);
        }
    }

    /** Publishing found a file whose bytes are not (or no longer) all stored. */
    public static final class IncompleteContentException extends StoreException {
        public IncompleteContentException(String path) {
            super(path + ": its content is not completely stored; nothing was changed, try again", null);
        }
    }

    private static void bindPack(PreparedStatement ps, PackRecord pack) throws SQLException {
        ps.setString(1, pack.id());
        ps.setLong(2, pack.version());
        ps.setString(3, pack.title());
        ps.setString(4, pack.description());
        ps.setString(5, pack.language());
        ps.setString(6, pack.license());
        ps.setString(7, toJson(pack.authors()));
        ps.setString(8, pack.created());
        ps.setString(9, pack.entry());
        ps.setString(10, pack.digest());
        ps.setLong(11, pack.totalSize());
        ps.setInt(12, pack.fileCount());
        ps.setInt(13, pack.itemCount());
        ps.setLong(14, pack.installedAt());
    }

    private static PackRecord pack(ResultSet rs) throws SQLException {
        return new PackRecord(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), fromJson(rs.getString(7)), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getLong(11), rs.getInt(12), rs.getInt(13), rs.getLong(14));
    }

    private static String toJson(List<String> list) {
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> fromJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new StoreException("Damaged author list in the library: " + json, e);
        }
    }
}
