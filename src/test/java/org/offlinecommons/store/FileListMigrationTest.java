package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A library of schema 6 opened by this version: its packs keep their files and items (format 1). */
class FileListMigrationTest {

    @TempDir
    Path tmp;

    @Test
    void packsOfSchemaSixBecomeFormatOnePacksWithTheirFilesPagedFromSql() throws Exception {
        try (Connection c = SchemaSixLibrary.create(tmp)) {
            SchemaSixLibrary.insertPack(c, "{\"format\": 1}", 3, 2);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO pack_file(pack_id, path, size, sha256) VALUES ('p', 'b.html', 1, '"
                        + "b".repeat(64) + "'), ('p', 'a.html', 2, '" + "a".repeat(64) + "')");
                s.execute("INSERT INTO item(id, pack_id, position, path, title, kind) VALUES (7, 'p', 0, 'a.html', 'A', 'html')");
            }
        }
        try (Library library = Library.open(tmp)) {
            assertThat(library.catalog().format("p")).isEqualTo(1);
            assertThat(library.catalog().manifest("p", "d")).contains("{\"format\": 1}");
            assertThat(library.catalog().filesPage("p", "d", null, 1).orElseThrow())
                    .containsExactly(new Catalog.ListedFile("a.html", 2, "a".repeat(64), null));
            assertThat(library.catalog().filesPage("p", "d", "a.html", 10).orElseThrow()).extracting(
                    Catalog.ListedFile::path).containsExactly("b.html");
            assertThat(library.catalog().filesPage("p", "other digest", null, 10)).isEmpty();
            assertThat(library.catalog().items("p", 0, 10)).extracting(Item::title).containsExactly("A");
            assertThat(library.delete("p")).isTrue();
            assertThat(library.catalog().released(10)).isEmpty();
            assertThat(library.integrityCheck()).containsExactly("ok");
        }
    }
}
