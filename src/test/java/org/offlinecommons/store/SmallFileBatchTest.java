package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small files are written thousands to a transaction, not hundreds: each transaction rewrites
 * most leaves of the chunk and recipe indexes (random keys), so their number is what an import
 * writes to the disk (docs/performance.md, "Fewer, larger transactions").
 */
class SmallFileBatchTest {

    @TempDir
    Path tmp;

    @Test
    void fiveThousandSmallPagesWaitForOneTransaction() throws IOException {
        try (Library library = Library.open(tmp.resolve("data"))) {
            ChunkStore.Batch batch = library.chunks().batch();
            for (int i = 0; i < 5000; i++) {
                byte[] page = ("<p>page " + i + "</p>").getBytes(StandardCharsets.UTF_8);
                batch.stage(new ByteArrayInputStream(page), page.length, n -> { });
            }
            assertThat(LibraryTables.count(library, "SELECT count(*) FROM chunk")).isZero();

            batch.flush();

            assertThat(LibraryTables.count(library, "SELECT count(*) FROM chunk")).isEqualTo(5000);
            assertThat(LibraryTables.count(library, "SELECT count(*) FROM file_recipe")).isEqualTo(5000);
        }
    }

    @Test
    void eightMegabytesOfPagesAreWrittenWithoutWaitingForTheRest() throws IOException {
        try (Library library = Library.open(tmp.resolve("data"))) {
            ChunkStore.Batch batch = library.chunks().batch();
            byte[] page = new byte[100_000];
            for (int i = 0; i < 90; i++) {
                page[0] = (byte) i; // 90 different pages of ~100 KB: 9 MB in all
                batch.stage(new ByteArrayInputStream(page), page.length, n -> { });
            }
            // The first 84 (8 MiB) were written when the 84th came; the rest wait for a flush.
            assertThat(LibraryTables.count(library, "SELECT count(*) FROM chunk")).isEqualTo(84);
        }
    }
}
