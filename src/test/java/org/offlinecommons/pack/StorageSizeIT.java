package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.ChunkEncoding;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.SearchHit;
import org.offlinecommons.store.SearchIndex;

/**
 * A text-heavy pack takes little more disk in the library than its zip (issue 16: at most 3 x),
 * while exported bytes stay identical and search still shows highlighted snippets. What the pack
 * adds is measured: an empty library's fixed floor (a 64 KiB page or more per table and index,
 * about 2 MB) would otherwise decide the ratio of a pack of a few MB.
 */
class StorageSizeIT {

    private static final String[] VOCABULARY = buildVocabulary();

    @TempDir
    Path tmp;

    @Test
    void aTextHeavyPackTakesAtMostThreeTimesItsZip() throws IOException {
        Path site = tmp.resolve("site");
        Random rng = new Random(16);
        for (int i = 0; i < 800; i++) {
            // Documentation pages: shared boilerplate around 2-60 KB of text each.
            PackFixtures.write(site, "docs/page-" + i + ".html", page(rng, i, 2_000 + rng.nextInt(i % 10 == 0 ? 60_000 : 12_000)));
        }
        PackFixtures.write(site, "static/style.css", ".c{margin:0}\n".repeat(2_000));
        PackFixtures.writeRandom(site, "media/clip.mp4", 256 << 10, 5); // compressed already: stored as it is
        Path zip = PackFixtures.build(site, "docs", "Docs", tmp.resolve("docs.zip"));

        Path data = tmp.resolve("data");
        try (Library library = Library.open(data)) {
            new PackImporter(library).importPack(zip, ProgressListener.NONE);

            var clip = library.chunks().recipe(library.catalog().file("docs", "media/clip.mp4").orElseThrow().sha256())
                    .orElseThrow();
            assertThat(clip.chunks()).allSatisfy(c -> assertThat(library.chunks().readEncoded(c.hash()).orElseThrow()
                    .encoding()).isEqualTo(ChunkEncoding.IDENTITY));
            var page = library.chunks().recipe(library.catalog().file("docs", "docs/page-7.html").orElseThrow().sha256())
                    .orElseThrow();
            var stored = library.chunks().readEncoded(page.chunks().get(0).hash()).orElseThrow();
            assertThat(stored.encoding()).isIn(ChunkEncoding.ZSTD, ChunkEncoding.ZSTD_DICTIONARY);
            assertThat((long) stored.data().length).isLessThan(page.size() / 2);
            assertThat(library.chunks().readChunk(page.chunks().get(0).hash()).orElseThrow())
                    .isEqualTo(Files.readAllBytes(site.resolve("docs/page-7.html")));

            // Snippets come from the stored pages (short ones) and from the kept text (long ones).
            SearchHit hit = library.search().searchFresh("chapter7 " + VOCABULARY[3], null, 10, 0).hits().get(0);
            assertThat(hit.item().path()).isEqualTo("docs/page-7.html");
            assertThat(hit.snippet()).contains(SearchIndex.MARK_START + "chapter7" + SearchIndex.MARK_END);
            SearchHit longHit = library.search().searchFresh("chapter10", null, 10, 0).hits().get(0);
            assertThat(longHit.item().path()).isEqualTo("docs/page-10.html");
            assertThat(longHit.snippet()).contains(SearchIndex.MARK_START + "chapter10" + SearchIndex.MARK_END);

            Path out = tmp.resolve("export.zip");
            new PackExporter(library).export("docs", out, ProgressListener.NONE);
            assertThat(Files.mismatch(out, zip)).isEqualTo(-1L);
        }
        Path empty = tmp.resolve("empty");
        Library.open(empty).close();
        long floor = libraryBytes(empty);
        long libraryBytes = libraryBytes(data);
        assertThat(floor).as("an empty library").isLessThan(libraryBytes / 3);
        assertThat((double) (libraryBytes - floor) / Files.size(zip)).as("library %d bytes (empty: %d), zip %d bytes",
                libraryBytes, floor, Files.size(zip)).isLessThanOrEqualTo(3.0);
    }

    private static long libraryBytes(Path data) throws IOException {
        Path wal = data.resolve("library.db-wal");
        return Files.size(data.resolve("library.db")) + (Files.exists(wal) ? Files.size(wal) : 0);
    }

    private static String page(Random rng, int i, int textBytes) {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Chapter ")
                .append(i).append("</title><link rel=\"stylesheet\" href=\"../static/style.css\"></head><body>")
                .append("<nav class=\"related\"><ul><li><a href=\"page-0.html\">Contents</a></li>")
                .append("<li><a href=\"page-").append(i + 1).append(".html\">Next</a></li></ul></nav>")
                .append("<div class=\"body\" role=\"main\"><h1>Chapter ").append(i).append("</h1><p>chapter").append(i)
                .append(' ');
        int start = html.length();
        while (html.length() - start < textBytes) {
            if (rng.nextInt(40) == 0) {
                html.append("</p>\n<p>");
            }
            html.append(VOCABULARY[zipf(rng)]).append(' ');
        }
        return html.append("</p></div><footer>Generated for a storage test.</footer></body></html>\n").toString();
    }

    /** Word ranks with a Zipf-like spread: a few words are everywhere, most are rare. */
    private static int zipf(Random rng) {
        return (int) Math.min(VOCABULARY.length - 1, Math.floor(Math.exp(rng.nextDouble() * Math.log(VOCABULARY.length))) - 1);
    }

    private static String[] buildVocabulary() {
        Random rng = new Random(1);
        String[] words = new String[5000];
        for (int w = 0; w < words.length; w++) {
            StringBuilder word = new StringBuilder();
            for (int c = 0, n = 2 + rng.nextInt(8); c < n; c++) {
                word.append((char) ('a' + rng.nextInt(26)));
            }
            words[w] = word.toString();
        }
        return words;
    }
}
