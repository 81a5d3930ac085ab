package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Library;

class LibraryTreeTest {

    @TempDir
    Path tmp;

    @Test
    void catalogJsonIsBuiltOnceAndAgainAfterAnyChange_evenByAnotherProcess() throws Exception {
        Path garden = SyncFixtures.garden(tmp.resolve("garden"));
        try (Library library = Library.open(tmp.resolve("data"))) {
            LibraryTree tree = new LibraryTree(library);
            SyncFixtures.importFolder(library, garden, "garden", "Garden", 1, tmp);
            // The check for other processes' commits also sees our own once, so it may be built once more.
            byte[] last = null;
            int reused = 0;
            for (int i = 0; i < 20; i++) {
                byte[] now = tree.catalog();
                reused += now == last ? 1 : 0;
                last = now;
            }
            assertThat(reused).as("while nothing changes, the same bytes are handed out").isGreaterThan(10);

            // The CLI importing next to the running server: its own connection to the same file.
            try (Library cli = Library.open(tmp.resolve("data"))) {
                SyncFixtures.importFolder(cli, garden, "orchard", "Orchard", 1, tmp.resolve("cli"));
            }
            // Another process's commit is noticed within a tenth of a second (Database.generation).
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (!new String(tree.catalog(), StandardCharsets.UTF_8).contains("\"orchard\"")
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            String after = new String(tree.catalog(), StandardCharsets.UTF_8);
            assertThat(after).contains("\"garden\"").contains("\"orchard\"");

            library.delete("garden");
            // Our own commits are seen at once.
            assertThat(new String(tree.catalog(), StandardCharsets.UTF_8)).doesNotContain("\"garden\"")
                    .contains("\"orchard\"");
        }
    }
}
