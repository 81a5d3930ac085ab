package org.offlinecommons.store;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The library's zstd dictionaries ({@link ChunkEncoding#ZSTD_DICTIONARY}), by the id zstd gives
 * each and writes in every frame made with it. A dictionary is stored twice with its SHA-256: a
 * damaged dictionary would damage every chunk compressed with it, so a rotten copy is passed over.
 */
final class ChunkDictionaries {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChunkDictionaries.class);
    /** Decoders kept ready: one per recently read pack, a few hundred KB of native memory each. */
    private static final int CACHED = 16;

    /** A dictionary ready to compress with. */
    record Dictionary(long id, ZstdDictCompress compression) {
    }

    private final Database db;
    private final Map<Long, ZstdDictDecompress> decoders = new LinkedHashMap<>(CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ZstdDictDecompress> eldest) {
            return size() > CACHED;
        }
    };

    ChunkDictionaries(Database db) {
        this.db = db;
    }

    /**
     * Stores a newly trained dictionary, owned by the import or pull {@code stagedBy}, and returns
     * it ready to use; empty when zstd gave it no id or another dictionary has its id already.
     */
    java.util.Optional<Dictionary> add(byte[] dictionary, ZstdDictCompress compression, long stagedBy) {
        long id = Zstd.getDictIdFromDict(dictionary);
        if (id <= 0) {
            return java.util.Optional.empty();
        }
        String sha256 = Hashes.sha256Hex(dictionary);
        boolean stored = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT OR IGNORE INTO chunk_dictionary(id, data, copy, sha256, staged_by, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                ps.setLong(1, id);
                ps.setBytes(2, dictionary);
                ps.setBytes(3, dictionary);
                ps.setString(4, sha256);
                ps.setLong(5, stagedBy);
                ps.setLong(6, System.currentTimeMillis());
                return ps.executeUpdate() == 1;
            }
        });
        return stored ? java.util.Optional.of(new Dictionary(id, compression))
                : java.util.Optional.empty();
    }

    /** The decoder for dictionary {@code id}; null when the library holds no intact copy of it. */
    ZstdDictDecompress decoder(long id) {
        synchronized (decoders) {
            ZstdDictDecompress cached = decoders.get(id);
            if (cached != null) {
                return cached;
            }
        }
        byte[] dictionary = load(id);
        if (dictionary == null) {
            return null;
        }
        ZstdDictDecompress decoder = new ZstdDictDecompress(dictionary);
        synchronized (decoders) {
            decoders.putIfAbsent(id, decoder);
            return decoders.get(id);
        }
    }

    private byte[] load(long id) {
        return db.query("SELECT data, copy, sha256 FROM chunk_dictionary WHERE id = ?", ps -> {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    LOG.warn("The library has no zstd dictionary {}: the chunks made with it cannot be read", id);
                    return null;
                }
                String sha256 = rs.getString(3);
                for (int column = 1; column <= 2; column++) {
                    byte[] copy = rs.getBytes(column);
                    if (copy != null && Hashes.sha256Hex(copy).equals(sha256)) {
                        return copy;
                    }
                }
                LOG.warn("Both copies of zstd dictionary {} are damaged: the chunks made with it cannot be read", id);
                return null;
            }
        });
    }

    /**
     * Removes, in {@code c}'s transaction, the dictionaries of the import or pull {@code stagedBy}
     * (any, when null) made before {@code before} whose chunks are all gone.
     */
    static void dropUnused(java.sql.Connection c, Long stagedBy, long before) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM chunk_dictionary WHERE created_at <= ? AND (? IS NULL OR staged_by = ?)
                  AND NOT EXISTS (SELECT 1 FROM chunk WHERE chunk.staged_by = chunk_dictionary.staged_by)""")) {
            ps.setLong(1, before);
            if (stagedBy == null) {
                ps.setNull(2, java.sql.Types.INTEGER);
                ps.setNull(3, java.sql.Types.INTEGER);
            } else {
                ps.setLong(2, stagedBy);
                ps.setLong(3, stagedBy);
            }
            ps.executeUpdate();
        }
    }
}
