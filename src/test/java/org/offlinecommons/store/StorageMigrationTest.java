package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A library of schema 6 (raw chunks, an index holding the text) keeps working after the migration. */
class StorageMigrationTest {

    @TempDir
    Path tmp;

    @Test
    void rawChunksStayReadableAndTheIndexIsRebuiltWithoutItsText() throws Exception {
        String html = "<!doctype html><title>Photosynthesis</title><p>Green plants use light to make sugar.</p>";
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        String hash = Hashes.sha256Hex(bytes);
        try (Connection c = SchemaSixLibrary.create(tmp)) {
            SchemaSixLibrary.insertPack(c, "{}", 0, 1);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO item(id, pack_id, position, path, title, kind) VALUES (7, 'p', 0, 'a.html', 'Photosynthesis', 'html')");
                s.execute("INSERT INTO search(rowid, title, body) VALUES (7, 'Photosynthesis', 'Green plants use light to make sugar.')");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO chunk(hash, size, created_at, data) VALUES (?, ?, 0, ?)")) {
                ps.setString(1, hash);
                ps.setLong(2, bytes.length);
                ps.setBytes(3, bytes);
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO file_recipe(file_hash, size, chunk_count, created_at) VALUES ('" + hash + "', "
                        + bytes.length + ", 1, 0)");
                s.execute("INSERT INTO file_chunk(file_hash, seq, chunk_hash, size) VALUES ('" + hash + "', 0, '" + hash
                        + "', " + bytes.length + ")");
                s.execute("INSERT INTO pack_file(pack_id, path, size, sha256) VALUES ('p', 'a.html', " + bytes.length
                        + ", '" + hash + "')");
            }
        }
        try (Library library = Library.open(tmp)) {
            assertThat(library.chunks().readChunk(hash)).hasValue(bytes);
            assertThat(library.chunks().readEncoded(hash).orElseThrow().encoding()).isEqualTo(ChunkEncoding.IDENTITY);
            // Found through the rebuilt index; the snippet is cut from the stored page.
            assertThat(library.search().search("plants ligh", null, 10, 0).hits()).singleElement().satisfies(h -> {
                assertThat(h.item().path()).isEqualTo("a.html");
                assertThat(h.snippet()).isEqualTo("Green \u0002plants\u0003 use \u0002light\u0003 to make sugar");
            });
            library.database().read(c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_schema WHERE name = 'search'")) {
                    assertThat(rs.getString(1)).contains("content = ''", "detail = none").doesNotContain("prefix");
                }
                return null;
            });
            // A deleted pack takes its index rows with it (contentless_delete), and its storage.
            assertThat(library.delete("p")).isTrue();
            assertThat(library.search().search("plants", null, 10, 0).total()).isZero();
            assertThat(library.chunks().readChunk(hash)).isEmpty();
            assertThat(library.integrityCheck()).containsExactly("ok");
        }
    }

    @Test
    void longTextsAreKeptForSnippetsUntilTheirItemGoes() {
        String longText = "plants ".repeat(3000) + "photosynthesis";
        try (Library library = Library.open(tmp)) {
            long[] rows = library.search().stage("b", java.util.List.of(new SearchIndex.Text("Leaves", longText)));
            library.publish(new PackRecord("p", 1, "Pack", "", "en", "", java.util.List.of(), "2024-01-01", null, "d",
                    0, 0, 1, 0), "{}", java.util.List.of(), java.util.List.of(new Item(0, "l.html", null, "Leaves", "html",
                    null)), rows, "b", null);
            assertThat(library.search().search("photosynthesis", null, 10, 0).hits()).singleElement()
                    .satisfies(h -> assertThat(h.snippet()).endsWith("\u0002photosynthesis\u0003"));
            assertThat(keptTexts(library)).isEqualTo(1);
            library.delete("p");
            assertThat(keptTexts(library)).isZero();
        }
    }

    private static long keptTexts(Library library) {
        return library.database().read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM search_text")) {
                return rs.getLong(1);
            }
        });
    }
}
