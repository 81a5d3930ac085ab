package org.offlinecommons.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A library.db as schema 6 wrote it, for the tests of what later versions make of it. */
final class SchemaSixLibrary {

    private SchemaSixLibrary() {
    }

    /** A connection to a new library.db in {@code dir}, migrated to schema 6 only. */
    static Connection create(Path dir) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("library.db"));
        Schema.migrate(c, 6);
        return c;
    }

    /** Pack 'p' version 1, digest 'd', with one item, as schema 6 recorded it. */
    static void insertPack(Connection c, String manifest, long totalSize, int fileCount) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO pack(id, version, title, description, language, license, authors, created, entry,
                      manifest, digest, total_size, file_count, item_count, installed_at)
                    VALUES ('p', 1, 'Pack', '', 'en', '', '[]', '2024-01-01', NULL, '%s', 'd', %d, %d, 1, 0)"""
                    .formatted(manifest.replace("'", "''"), totalSize, fileCount));
        }
    }
}
