package org.offlinecommons.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** What tests outside this package may ask of a library's tables, read-only. */
public final class LibraryTables {

    private LibraryTables() {
    }

    /** The first column of the first row of {@code sql}, a count or a sum. */
    public static long count(Library library, String sql) {
        return library.database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Chunks stored compressed with a dictionary ({@link ChunkEncoding#ZSTD_DICTIONARY}). */
    public static long chunksWithDictionary(Library library) {
        return count(library, "SELECT count(*) FROM chunk WHERE codec = " + ChunkEncoding.ZSTD_DICTIONARY.code);
    }
}
