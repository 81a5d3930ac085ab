package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library of schema 11, whose full-text tables kept prefix indexes, is opened by this version:
 * its index is rebuilt without them, and titles get an index of their own for suggestions.
 */
class SmallerSearchIndexMigrationTest {

    @TempDir
    Path tmp;

    @Test
    void theIndexIsRebuiltWithoutPrefixIndexesAndTitlesStillCompleteAsTyped() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("library.db"))) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA page_size=65536");
                s.execute("PRAGMA journal_mode=WAL");
            }
            Schema.migrate(c, 11);
            try (Statement s = c.createStatement()) {
                assertThat(sql(s, "search")).contains("prefix = '2 3'", "detail = column");
                s.execute("""
                        INSERT INTO pack(id, version, title, description, language, license, authors, created, entry,
                          manifest, digest, total_size, file_count, item_count, installed_at)
                        VALUES ('p', 1, 'Pack', '', 'en', '', '[]', '2024-01-01', NULL, '{}', 'd', 0, 0, 3, 0)""");
                s.execute("INSERT INTO item(id, pack_id, position, path, title, kind) VALUES (7, 'p', 0, 'a.html', 'Photosynthesis', 'html')");
                s.execute("INSERT INTO item(id, pack_id, position, path, title, kind) VALUES (9, 'p', 1, 'b.html', 'Rivers to the sea', 'html')");
                s.execute("INSERT INTO item(id, pack_id, position, path, title, kind) VALUES (10, 'p', 2, 'c.html', 'Four seasons', 'html')");
                s.execute("INSERT INTO search(rowid, title, headings, body, listing) VALUES (7, 'photosynthesis', '', '', '')");
                s.execute("INSERT INTO search_rank(rowid, title, headings, lead) VALUES (7, 'photosynthesis', '', '')");
                s.execute("INSERT INTO staged_search(row, batch, created_at) VALUES (11, 'b', 0)");
                s.execute("INSERT INTO search(rowid, title, headings, body, listing) VALUES (11, 'staged', '', '', '')");
            }
        }
        try (Library library = Library.open(tmp)) {
            library.database().read(c -> {
                try (Statement s = c.createStatement()) {
                    assertThat(sql(s, "search")).contains("detail = none").doesNotContain("prefix");
                    assertThat(sql(s, "search_rank")).doesNotContain("prefix");
                    assertThat(sql(s, "search_title")).contains("prefix = '2 3'", "detail = none");
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM staged_search")) {
                        assertThat(rs.getInt(1)).as("staged rows went with the old index").isZero();
                    }
                }
                return null;
            });
            // Rebuilt from what is stored: these items have no files, so their titles.
            SearchIndex search = library.search();
            assertThat(search.search("photo", null, 10, 0).hits()).singleElement()
                    .satisfies(h -> assertThat(h.item().path()).isEqualTo("a.html"));
            assertThat(search.search("sea", null, 10, 0).hits()).as("not seasons").singleElement()
                    .satisfies(h -> assertThat(h.item().path()).isEqualTo("b.html"));
            // Words of fewer than four letters are whole words in a search, unless none is found...
            assertThat(search.search("pho", null, 10, 0).hits()).singleElement()
                    .satisfies(h -> assertThat(h.item().path()).isEqualTo("a.html"));
            // ...and prefixes as they are typed in the search box.
            assertThat(library.suggestions().suggest("ph", null, 8)).singleElement()
                    .satisfies(s -> assertThat(s.item().path()).isEqualTo("a.html"));
            assertThat(library.suggestions().suggest("riv se", null, 8)).singleElement()
                    .satisfies(s -> assertThat(s.item().path()).isEqualTo("b.html"));
            assertThat(search.search("staged", null, 10, 0).total()).isZero();
            assertThat(library.integrityCheck()).containsExactly("ok");
        }
    }

    private static String sql(Statement s, String table) throws java.sql.SQLException {
        try (ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_schema WHERE name = '" + table + "'")) {
            return rs.getString(1);
        }
    }
}
