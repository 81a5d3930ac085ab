package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.SearchHit;

/** Search answers are reused, but never once the library has changed, by this process or another. */
class SearchAnswersTest {

    @TempDir
    Path tmp;
    Library library;

    @BeforeEach
    void open() throws IOException {
        library = Library.open(tmp.resolve("data"));
        Path site = PackFixtures.smallSite(tmp.resolve("site"));
        new PackImporter(library).importPack(PackFixtures.build(site, "garden", "The Garden",
                tmp.resolve("garden.zip")), ProgressListener.NONE);
    }

    @AfterEach
    void close() {
        library.close();
    }

    @Test
    void aRepeatedSearchGivesTheSameAnswer() {
        var first = library.search().search("beans", null, 10, 0);
        assertThat(first.hits()).extracting(h -> h.item().path()).contains("plants/beans.html");
        assertThat(library.search().search("beans", null, 10, 0)).isEqualTo(first);
        assertThat(library.search().searchFresh("beans", null, 10, 0)).isEqualTo(first);
    }

    @Test
    void aDeletedPackIsNoLongerFoundEvenWhenTheAnswerWasReused() {
        assertThat(library.search().search("beans", null, 10, 0).hits()).isNotEmpty();
        assertThat(library.search().search("beans", null, 10, 0).hits()).isNotEmpty();
        library.delete("garden");
        assertThat(library.search().search("beans", null, 10, 0).hits()).isEmpty();
        assertThat(library.search().search("beans", null, 10, 0).total()).isZero();
    }

    @Test
    void aPackImportedByAnotherProcessIsFound() throws IOException, InterruptedException {
        assertThat(library.search().search("peas", null, 10, 0).hits()).isEmpty();
        Path site = PackFixtures.smallSite(tmp.resolve("site2"));
        PackFixtures.write(site, "plants/peas.html", "<title>Peas</title><p>Peas climb up sticks.</p>");
        // A second Library on the same folder: its own connections, like the CLI next to a server.
        try (Library other = Library.open(tmp.resolve("data"))) {
            new PackImporter(other).importPack(PackFixtures.build(site, "orchard", "The Orchard",
                    tmp.resolve("orchard.zip")), ProgressListener.NONE);
        }
        // Another process's commit is noticed within a tenth of a second (Database.generation).
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (library.search().search("peas", null, 10, 0).hits().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (int i = 0; i < 6; i++) { // every pooled reader must see it, whichever answers
            assertThat(library.search().search("peas", null, 10, 0).hits())
                    .extracting(SearchHit::packId).containsExactly("orchard");
        }
    }
}
