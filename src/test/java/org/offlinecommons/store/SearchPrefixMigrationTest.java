package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A library indexed with older full-text settings keeps its search when it is opened by this version. */
class SearchPrefixMigrationTest {

    @TempDir
    Path tmp;

    @Test
    void theIndexIsRebuiltWithFewerPrefixIndexesAndFindsTheSameItems() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("library.db"))) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA page_size=65536");
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            Schema.migrate(c, 4);
            Statement s = c.createStatement();
            assertThat(searchSql(c)).contains("prefix = '2 3 4'");
            s.execute("""
                    INSERT INTO pack(id, version, title, description, language, license, authors, created, entry,
                      manifest, digest, total_size, file_count, item_count, installed_at)
                    VALUES ('p', 1, 'Pack', '', 'en', '', '[]', '2024-01-01', NULL, '{}', 'd', 0, 0, 2, 0)""");
            s.execute("INSERT INTO item(id, pack_id, position, path, title, kind) VALUES (7, 'p', 0, 'a.html', 'Photosynthesis', 'html')");
            s.execute("INSERT INTO item(id, pack_id, position, path, title, kind) VALUES (9, 'p', 1, 'b.html', 'Rivers', 'html')");
            s.execute("INSERT INTO search(rowid, title, body) VALUES (7, 'Photosynthesis', 'how plants use light')");
            s.execute("INSERT INTO search(rowid, title, body) VALUES (9, 'Rivers', 'water runs to the sea')");
            s.execute("INSERT INTO staged_search(row, batch, created_at) VALUES (11, 'b', 0)");
            s.execute("INSERT INTO search(rowid, title, body) VALUES (11, 'Staged', 'not yet published')");
        }
        // Up to the schema before the index was rebuilt from stored files (this test's rows have none).
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("library.db"))) {
            Schema.migrate(c, 9);
            assertThat(searchSql(c)).contains("prefix = '2 3'").doesNotContain("2 3 4");
            // Half-typed words of every length, through the prefix indexes (2, 3) and the term list (4+).
            for (String q : new String[] {"ph", "pho", "phot", "photosynthe", "photosynthesis", "pl", "lig"}) {
                assertThat(rowsMatching(c, "\"" + q + "\"*")).as(q).containsExactly(7L);
            }
            assertThat(rowsMatching(c, "\"sea\"* \"wat\"*")).containsExactly(9L);
        }
        try (Library library = Library.open(tmp)) {
            // Rebuilt from what is stored: these items have no files, so their titles.
            assertThat(library.search().search("photo", null, 10, 0).hits()).singleElement()
                    .satisfies(h -> assertThat(h.item().path()).isEqualTo("a.html"));
            assertThat(library.search().search("published", null, 10, 0).total()).as("staged rows stay hidden").isZero();
            long rows = library.database().read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM search")) {
                    return rs.getLong(1);
                }
            });
            assertThat(rows).as("the staged row went with the old index").isEqualTo(2);
            assertThat(library.integrityCheck()).containsExactly("ok");
        }
    }

    private static java.util.List<Long> rowsMatching(Connection c, String match) throws java.sql.SQLException {
        java.util.List<Long> rows = new java.util.ArrayList<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT rowid FROM search WHERE search MATCH ?")) {
            ps.setString(1, match);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getLong(1));
                }
            }
        }
        return rows;
    }

    @Test
    void aLibraryOfSchemaFiveIndexesInLargerSegmentsAndKeepsItsRows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("library.db"))) {
            Schema.migrate(c, 5);
            assertThat(searchConfig(c)).doesNotContainKeys("hashsize", "automerge");
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO search(rowid, title, body) VALUES (7, 'Photosynthesis', 'how plants use light')");
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("library.db"))) {
            Schema.migrate(c, 9);
            assertThat(searchConfig(c)).containsEntry("hashsize", "8388608").containsEntry("automerge", "8");
            assertThat(rowsMatching(c, "plants")).containsExactly(7L);
        }
        try (Library library = Library.open(tmp)) {
            library.database().read(c -> {
                assertThat(searchConfig(c)).as("kept by the rebuilt index")
                        .containsEntry("hashsize", "8388608").containsEntry("automerge", "8");
                return null;
            });
        }
    }

    private static java.util.Map<String, String> searchConfig(Connection c) throws java.sql.SQLException {
        java.util.Map<String, String> config = new java.util.HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT k, v FROM search_config")) {
            while (rs.next()) {
                config.put(rs.getString(1), rs.getString(2));
            }
        }
        return config;
    }

    private static String searchSql(Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'search'")) {
            return rs.getString(1);
        }
    }
}
