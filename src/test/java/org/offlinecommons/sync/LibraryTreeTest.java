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
            // Each pooled reader notices a commit once, so the first reads after one may build it again.
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
            String after = new String(tree.catalog(), StandardCharsets.UTF_8);
            assertThat(after).contains("\"garden\"").contains("\"orchard\"");

            library.delete("garden");
            assertThat(new String(tree.catalog(), StandardCharsets.UTF_8)).doesNotContain("\"garden\"")
                    .contains("\"orchard\"");
        }
    }
}
