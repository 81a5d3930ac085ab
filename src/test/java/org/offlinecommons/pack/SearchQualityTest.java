package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.SearchHit;
import org.offlinecommons.store.SearchResults;

/**
 * Search finds the right page first, in every language: stems by the pack's language, words
 * inside Chinese and Japanese sentences, titles over index pages, phrases, "did you mean".
 * Real packs built from folders, imported into a real library.
 */
class SearchQualityTest {

    @TempDir
    Path tmp;
    Library library;

    @BeforeEach
    void open() {
        library = Library.open(tmp.resolve("data"));
    }

    @AfterEach
    void close() {
        library.close();
    }

    /** Pages about other things: with only a few pages, every word is in most of them and bm25 ranks nothing. */
    private static final String[] OTHERS = {"weather", "music", "painting", "football", "cooking", "trains",
        "birds", "islands"};

    private void pack(String id, String language, String... pathsAndPages) throws IOException {
        Path site = tmp.resolve("site-" + id);
        if (language.equals("en")) {
            for (String other : OTHERS) {
                PackFixtures.write(site, "others/" + other + ".html", "<title>About " + other + "</title><p>Some "
                        + other + " for everyone, every day of the year.</p>");
            }
        }
        for (int i = 0; i < pathsAndPages.length; i += 2) {
            PackFixtures.write(site, pathsAndPages[i], pathsAndPages[i + 1]);
        }
        PackBuilder.Options options = new PackBuilder.Options(id, "Pack " + id, null, language, null, null, null,
                null, null);
        new PackImporter(library).importPack(PackFixtures.build(site, options, tmp.resolve(id + ".zip")),
                ProgressListener.NONE);
    }

    private List<String> paths(String query) {
        return paths(library.search().search(query, null, 20, 0));
    }

    private static List<String> paths(SearchResults results) {
        List<String> out = new ArrayList<>();
        for (SearchHit h : results.hits()) {
            out.add(h.item().path());
        }
        return out;
    }

    @Test
    void everyPageOfHitsTellsHowManyThereAreInAll() throws IOException {
        pack("pages", "en");
        // Every "others/" page says "everyone"; pages past the last hit still count them.
        int all = library.search().search("everyone", null, 20, 0).total();
        assertThat(all).isEqualTo(OTHERS.length).isGreaterThan(3);
        for (int offset : new int[] {0, 2, all - 1, all, all + 50}) {
            SearchResults page = library.search().search("everyone", null, 2, offset);
            assertThat(page.total()).as("offset %d", offset).isEqualTo(all);
            assertThat(page.hits()).as("offset %d", offset).hasSize(Math.max(0, Math.min(2, all - offset)));
        }
        assertThat(library.search().search("nowhere", null, 2, 0).total()).isZero();
        assertThat(library.search().search("nowhere", null, 2, 4).total()).isZero();
    }

    @Test
    void englishWordsAreFoundByTheirStems() throws IOException {
        pack("en-docs", "en",
                "io.html", "<title>Input and output</title><p>Reading files line by line is the usual way.</p>",
                "rivers.html", "<title>Rivers</title><p>We study rivers and their banks.</p>",
                "other.html", "<title>Other</title><p>Nothing to see: the keys are lost by the wayside, riverside.</p>");
        assertThat(paths("reads file")).containsExactly("io.html");
        assertThat(paths("read files")).containsExactly("io.html");
        assertThat(paths("studies")).containsExactly("rivers.html");
        // Words match whole ("way" is not "wayside", "river" not "riverside"), or as prefixes
        // when no page has them whole.
        assertThat(paths("readi")).containsExactly("io.html");
        assertThat(paths("way")).containsExactly("io.html");
        assertThat(paths("river")).containsExactly("rivers.html");
        assertThat(paths("riversi")).containsExactly("other.html");
        assertThat(paths("rea")).containsExactly("io.html");
        assertThat(paths("we")).containsExactly("rivers.html");
        assertThat(paths("key")).as("a short word finds its other forms").containsExactly("other.html");
    }

    @Test
    void frenchAndSpanishWordsAreFoundByTheirStems() throws IOException {
        pack("fr-docs", "fr",
                "cheval.html", "<title>À la ferme</title><p>Un cheval blanc mange de l'herbe près de l'étable.</p>",
                "autre.html", "<title>Autre</title><p>Rien ici.</p>");
        pack("es-docs", "es",
                "camino.html", "<title>El campo</title><p>Los niños están caminando hacia la escuela.</p>",
                "otro.html", "<title>Otro</title><p>Nada aquí.</p>");
        assertThat(paths("chevaux")).containsExactly("cheval.html");
        assertThat(paths("etables")).as("without accents, and stemmed").containsExactly("cheval.html");
        assertThat(paths("caminar")).containsExactly("camino.html");
        // Limited to one pack, its own language's stems.
        assertThat(paths(library.search().search("caminar", "es-docs", 10, 0))).containsExactly("camino.html");
    }

    @Test
    void wordsInsideChineseAndJapaneseSentencesAreFound() throws IOException {
        pack("zh-sci", "zh",
                "guanghe.html", "<title>光合作用</title><p>光合作用是植物利用阳光，把二氧化碳和水转化为有机物，"
                        + "并释放氧气的过程。叶绿体是进行光合作用的场所。</p>",
                "other.html", "<title>河流</title><p>河流从山上流向大海。</p>");
        pack("ja-geo", "ja",
                "tokyo.html", "<title>東京</title><p>東京は日本の首都です。多くの人が毎日電車で通勤しています。</p>",
                "other.html", "<title>富士山</title><p>富士山は日本で一番高い山です。</p>");
        for (String q : new String[] {"植物", "阳光", "叶绿体", "光合作用", "光合"}) {
            assertThat(paths(q)).as(q).containsExactly("guanghe.html");
        }
        assertThat(paths("首都")).containsExactly("tokyo.html");
        assertThat(paths("電車")).containsExactly("tokyo.html");
        // The snippet marks where the word is.
        assertThat(library.search().search("植物", null, 10, 0).hits().get(0).snippet()).contains("\u0002");
    }

    @Test
    void hindiWordsAreKeptWholeWithTheirVowelSigns() throws IOException {
        pack("hi-pack", "hi",
                "namaste.html", "<title>अभिवादन</title><p>नमस्ते दुनिया, आज हम पौधों के बारे में पढ़ेंगे।</p>",
                "other.html", "<title>नदी</title><p>नदी समुद्र की ओर बहती है।</p>");
        assertThat(paths("नमस्ते")).containsExactly("namaste.html");
        assertThat(paths("पौधों")).containsExactly("namaste.html");
    }

    @Test
    void thePageAboutAWordComesBeforeTheIndexPagesListingIt() throws IOException {
        StringBuilder genindex = new StringBuilder("<title>Index — Q</title><h1>Index — Q</h1><ul>");
        for (String entry : new String[] {"asyncio.Queue (class)", "asyncio.Queue.get() (method)",
                "asyncio.Queue.put() (method)", "asyncio.Queue.join() (method)", "asyncio.QueueEmpty",
                "asyncio.QueueFull", "queue (module)", "Queue (class in queue)", "queue.Queue.get()",
                "quit (built-in variable)", "quopri (module)", "quote() (in module shlex)", "quiet mode",
                "qualified name", "quantize() (decimal method)", "QueueHandler (class)", "QueueListener (class)",
                "asyncio.PriorityQueue", "asyncio.LifoQueue", "multiprocessing.Queue", "Queue.task_done()",
                "Queue.qsize()"}) {
            genindex.append("<li><a href=\"library/x.html#").append(entry.hashCode()).append("\">").append(entry)
                    .append("</a></li>");
        }
        genindex.append("</ul>");
        StringBuilder page = new StringBuilder("<title>Queues</title><h1>Queues</h1>"
                + "<p>asyncio queues are designed to be similar to classes of the queue module.</p>"
                + "<h2>Queue</h2><p>A first in, first out (FIFO) queue.</p>");
        for (int i = 0; i < 40; i++) {
            page.append("<p>Paragraph ").append(i).append(" explains coroutines, tasks, timeouts and "
                    + "cancellation in more words than an index entry has.</p>");
        }
        pack("pydocs", "en",
                // Not named genindex*.html: such pages are plumbing and never items (SitePlumbing); this one
                // is known as an index only by its many links.
                "reference/entries-q.html", genindex.toString(),
                "library/asyncio-queue.html", page.toString(),
                "library/asyncio-task.html", "<title>Coroutines and Tasks</title><p>Tasks can use an asyncio "
                        + "queue to pass work between coroutines.</p>");
        List<String> found = paths("asyncio queue");
        assertThat(found).first().isEqualTo("library/asyncio-queue.html");
        assertThat(found.indexOf("reference/entries-q.html")).isGreaterThan(found.indexOf("library/asyncio-queue.html"));
        assertThat(paths("queues")).first().isEqualTo("library/asyncio-queue.html");
    }

    @Test
    void aListAskedForByItsTitleIsStillFoundFirst() throws IOException {
        StringBuilder list = new StringBuilder("<title>List of rivers</title><h1>List of rivers</h1><ul>");
        for (int i = 0; i < 30; i++) {
            list.append("<li><a href=\"river").append(i).append(".html\">River ").append(i).append("</a></li>");
        }
        list.append("</ul>");
        pack("atlas", "en",
                "lists/rivers.html", list.toString(),
                "nile.html", "<title>Nile</title><p>The Nile is one of the longest rivers; a list of its towns "
                        + "follows.</p>");
        assertThat(paths("list of rivers")).first().isEqualTo("lists/rivers.html");
    }

    @Test
    void headingsWeighMoreThanBodyText() throws IOException {
        StringBuilder filler = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            filler.append("<p>Plain words about gardens and soil number ").append(i).append(".</p>");
        }
        pack("garden", "en",
                "a.html", "<title>Gardens</title>" + filler + "<p>Compost is mentioned once here.</p>",
                "b.html", "<title>Soil care</title><h2>Compost</h2>" + filler);
        assertThat(paths("compost")).containsExactly("b.html", "a.html");
    }

    @Test
    void aPhraseInQuotesFindsOnlyPagesWithTheWordsTogether() throws IOException {
        pack("houses", "en",
                "a.html", "<title>Glass</title><p>The green house is warm in winter.</p>",
                "b.html", "<title>Paint</title><p>The house is painted green.</p>",
                "c.html", "<title>Green House</title><p>Nothing else.</p>");
        assertThat(paths("green house")).containsExactlyInAnyOrder("a.html", "b.html", "c.html");
        SearchResults phrase = library.search().search("\"green house\"", null, 10, 0);
        assertThat(paths(phrase)).containsExactlyInAnyOrder("a.html", "c.html");
        assertThat(phrase.total()).isEqualTo(2);
        assertThat(paths("“house is painted” green")).containsExactly("b.html");
        assertThat(paths("\"painted house\"")).isEmpty();
        // An unclosed quote still searches its words; a quote alone searches nothing.
        assertThat(paths("\"green hous")).containsExactlyInAnyOrder("a.html", "b.html", "c.html");
        assertThat(library.search().search("\"", null, 10, 0).total()).isZero();
    }

    @Test
    void aMisspelledQueryThatFindsNothingGetsTheClosestIndexedWord() throws IOException {
        pack("bio", "en",
                "photo.html", "<title>Photosynthesis</title><p>Plants make sugar from light.</p>",
                "cells.html", "<title>Cells</title><p>Every living thing is made of cells.</p>");
        SearchResults wrong = library.search().search("photosyntesis", null, 10, 0);
        assertThat(wrong.total()).isZero();
        assertThat(wrong.suggestion()).isEqualTo("photosynthesis");
        assertThat(library.search().search("plants maek sugar", null, 10, 0).suggestion())
                .isEqualTo("plants make sugar");
        // A word found is not "corrected"; a query with hits gets no suggestion; nor do stems ("liv").
        assertThat(library.search().search("photosynthesis", null, 10, 0).suggestion()).isNull();
        assertThat(library.search().search("livng", null, 10, 0).suggestion()).isEqualTo("living");
        assertThat(library.search().search("zzzzqqq", null, 10, 0).suggestion()).isNull();
    }

    @Test
    void titlesKeepTheirWordsAsWrittenForPrefixQueries() throws IOException {
        pack("bio2", "en", "photo.html", "<title>Photosynthesis in Leaves</title><p>Plants make sugar.</p>");
        List<String> out = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + library.databaseFile())) {
            try (PreparedStatement ps = c.prepareStatement("SELECT i.title FROM search_title JOIN item i"
                    + " ON i.id = search_title.rowid WHERE search_title MATCH ?")) {
                ps.setString(1, "\"leav\"*");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(out).containsExactly("Photosynthesis in Leaves");
    }
}
