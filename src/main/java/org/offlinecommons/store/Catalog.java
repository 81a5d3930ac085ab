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

    /** Removes a pack; returns false if it was not installed. Its storage is freed by a sweep. */
    public boolean delete(String id) {
        return db.write(c -> deletePack(c, id));
    }

    private static boolean deletePack(Connection c, String id) throws SQLException {
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
                     FROM file_chunk fc WHERE fc.file_hash = ?""")) {
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
                try (ResultSet rs = chunks.executeQuery()) {
                    rs.next();
                    if (size != f.size() || rs.getInt(1) != count || rs.getLong(2) != size || rs.getInt(3) != 0) {
                        throw new IncompleteContentException(f.path());
                    }
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
