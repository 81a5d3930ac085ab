package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search rows written before their pack is published: invisible until then, and never left behind. */
class SearchStagingTest {

    @TempDir
    Path tmp;

    private static PackRecord pack(String id) {
        return new PackRecord(id, 1, "Pack " + id, "", "en", "", List.of(), "2024-01-01", null, "digest-" + id,
                0, 0, 1, 0);
    }

    private static List<Item> oneItem() {
        return List.of(new Item(0, "a.html", null, "Apples", "html", null));
    }

    @Test
    void stagedRowsAreFoundOnlyOncePublishedAndEachRowServesOneItem() {
        try (Library library = Library.open(tmp)) {
            long[] rows = library.search().stage("b1", List.of(new SearchIndex.Text("Apples", "crunchy apples")));
            assertThat(library.search().search("crunchy", null, 10, 0).total()).isZero();

            library.publish(pack("p"), "{}", List.of(), oneItem(), rows, "b1", null);
            assertThat(library.search().search("crunchy", null, 10, 0).hits())
                    .singleElement().satisfies(h -> assertThat(h.packId()).isEqualTo("p"));

            // The rows were claimed by that publish: another pack cannot take them again.
            assertThatThrownBy(() -> library.publish(pack("q"), "{}", List.of(), oneItem(), rows, "b1", null))
                    .isInstanceOf(Catalog.IncompleteContentException.class);
            assertThat(library.catalog().pack("q")).isEmpty();

            long[] next = library.search().stage("b2", List.of(new SearchIndex.Text("Pears", "soft pears")));
            assertThat(next[0]).isGreaterThan(rows[0]);

            // A pack still being staged is not counted among the hits of one that is published.
            library.search().stage("b3", List.of(new SearchIndex.Text("Crunchy pears", "crunchy pears")));
            SearchResults found = library.search().searchFresh("crunchy", null, 10, 0);
            assertThat(found.total()).isEqualTo(1);
            assertThat(found.hits()).singleElement().satisfies(h -> assertThat(h.packId()).isEqualTo("p"));
        }
    }

    @Test
    void discardAndSweepRemoveRowsNobodyPublished() {
        try (Library library = Library.open(tmp)) {
            long[] kept = library.search().stage("kept", List.of(new SearchIndex.Text("Figs", "sweet figs")));
            library.search().stage("dropped", List.of(new SearchIndex.Text("Plums", "sour plums")));
            library.search().discard("dropped");
            library.publish(pack("p"), "{}", List.of(), List.of(new Item(0, "f.html", null, "Figs", "html", null)), kept,
                    "kept", null);
            long[] abandoned = library.search().stage("killed", List.of(new SearchIndex.Text("Kiwis", "kiwis")));

            library.chunks().sweep(Duration.ofHours(1));
            assertThat(indexRows(library)).as("young staged rows are spared").isEqualTo(2);
            library.chunks().sweep(Duration.ZERO);
            assertThat(indexRows(library)).as("only the published row is left").isEqualTo(1);
            assertThat(library.search().search("figs", null, 10, 0).total()).isEqualTo(1);
            assertThatThrownBy(() -> library.publish(pack("k"), "{}", List.of(), oneItem(), abandoned, "killed", null))
                    .isInstanceOf(Catalog.IncompleteContentException.class);
        }
    }

    private static long indexRows(Library library) {
        return library.database().read(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM search")) {
                return rs.getLong(1);
            }
        });
    }
}
