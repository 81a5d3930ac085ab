package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.store.Library;
import org.offlinecommons.web.reading.LibraryPages;
import org.offlinecommons.web.reading.PageUrls;

/** The reading pages over real HTTP, against a library holding real (and hostile) packs. */
class PagesTest {

    private static final int BUDGET_BYTES = 30 * 1024;
    private static final Pattern CSS = Pattern.compile("href=\"(/static/app\\.[0-9a-f]{10}\\.css)\"");

    @RegisterExtension
    static final TestServer server = TestServer.secure().with(ReadingFixtures::importAll);

    @RegisterExtension
    static final TestServer empty = TestServer.secure();

    static String page(String path) throws Exception {
        HttpResponse<String> r = server.http().get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).as(path).get().asString()
                .matches("text/html; ?charset=utf-8");
        return r.body();
    }

    /** Every page a visitor can reach in the hostile pack, plus the library-wide ones. */
    static List<String> allPages() {
        List<String> paths = new ArrayList<>(List.of("/", "/?lang=fr", "/pack/evil", "/pack/bulk", "/pack/bulk?page=2",
                "/pack/field-notes", "/search", "/search?q=chlorophyll", "/search?q=chlorophyll&pack=evil",
                "/search?q=photosynthesis&page=3"));
        server.library().catalog().items("evil").stream().filter(i -> !LibraryPages.isWebPage(i))
                .forEach(i -> paths.add(PageUrls.read("evil", i.position())));
        paths.addAll(ReadingFixtures.readerPositions(server.library(), "field-notes"));
        return paths;
    }

    @Test
    void everyPageAnswersAndEscapesPackText() throws Exception {
        for (String path : allPages()) {
            // Our one script (suggest.js, from /static) is the only script a page may hold.
            String html = page(path).replaceFirst(
                    "<script src=\"/static/suggest\\.[0-9a-f]{10}\\.js\" defer data-endpoint=\"/api/v1/suggest\" data-label=\"[^\"<>]*\"></script>", "");
            assertThat(html).as(path).doesNotContain("<script").doesNotContain("alert(1)</script>")
                    .doesNotContain(" style=").doesNotContain("<img src=x").doesNotContain("<i>Mallory")
                    .startsWith("<!DOCTYPE html>");
        }
        assertThat(page("/")).contains(ReadingFixtures.EVIL_TITLE_ESCAPED + " &amp; \"friends\"")
                .contains("&lt;img src=x onerror=alert(2)&gt;");
        assertThat(page("/pack/evil")).contains(ReadingFixtures.EVIL_TITLE_ESCAPED)
                .contains("&lt;b&gt;CC0&lt;/b&gt;").contains("&lt;i&gt;Mallory&lt;/i&gt;");
        assertThat(page("/search?q=chlorophyll")).contains(ReadingFixtures.EVIL_TITLE_ESCAPED)
                .contains("&lt;script&gt;alert(8)&lt;/script&gt;");
    }

    @Test
    void homeListsPacksAsCardsWithALanguageFilter() throws Exception {
        String html = page("/");
        assertThat(html).contains("Field notes from PyCon 2013", "href=\"/pack/field-notes\"", "English",
                "6 items", "5 packs");
        assertThat(count(between(html, "id=\"recent\"", "</section>"), "class=\"card\"")).isEqualTo(3);
        assertThat(count(between(html, "id=\"all\"", "</section>"), "class=\"card\"")).isEqualTo(5);
        // The filter names languages in the interface's language (English here), as the cards do.
        assertThat(between(html, "class=\"filter\"", "</nav>")).contains("href=\"/?lang=fr\"", "href=\"/?lang=ar\"",
                "<bdi>French</bdi>", "<bdi>Arabic</bdi>");
        String arabic = page("/?lang=ar");
        assertThat(between(arabic, "id=\"all\"", "</section>"))
                .contains(ReadingFixtures.ARABIC_TITLE).doesNotContain("Field notes");
        assertThat(arabic).doesNotContain("id=\"recent\"").contains("href=\"/?lang=ar\" aria-current=\"true\"");
        assertThat(page("/?lang=xx")).contains("Field notes", ReadingFixtures.ARABIC_TITLE);
    }

    @Test
    void anEmptyLibrarySaysWhatToDo() throws Exception {
        HttpResponse<String> r = empty.http().get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("No packs yet", "The library is empty").doesNotContain("class=\"card\"");
    }

    @Test
    void packPageShowsContentsByFolderMetadataAndStart() throws Exception {
        String html = page("/pack/evil");
        assertThat(html).contains("<a href=\"/\">Library</a>", "Licence", "Authors", "Version", "Size",
                "class=\"button primary start\" href=\"/packs/evil/\"", "name=\"pack\" value=\"evil\"");
        assertThat(html).contains("<h3 class=\"folder\" dir=\"ltr\" lang=\"fr\">guide</h3>", "PDF", "Video", "Audio", "Article",
                "Notes", "Page");
        assertThat(html).contains("href=\"/packs/evil/deep/page.html\"");
        String notes = page("/pack/field-notes");
        assertThat(notes).contains("href=\"/read/field-notes/0\"", "datetime=\"2013-03-16T12:24:56-04:00\"");
    }

    @Test
    void longPacksArePagedByLinks() throws Exception {
        String first = page("/pack/bulk");
        assertThat(first).contains("Lesson 1<", "Page 1 of 2", "href=\"/pack/bulk?page=2\"")
                .doesNotContain("Lesson 101<");
        String second = page("/pack/bulk?page=2");
        assertThat(second).contains("Lesson 101<", "Lesson 120<", "href=\"/pack/bulk\"").doesNotContain("Lesson 1<");
        assertThat(page("/pack/bulk?page=999")).contains("Lesson 120<");
        assertThat(page("/pack/bulk?page=abc")).contains("Lesson 1<");
    }

    @Test
    void notesEntriesReadWithHeadingsListsLinksDatesAndNeighbours() throws Exception {
        String html = page("/read/field-notes/3");
        assertThat(html).contains("<h2>Model</h2>", "<h2>View</h2>", "<h2>Controller</h2>", "<h3>HDF5</h3>", "<ul>",
                "<a href=\"http://durden.github.com/python_science_apps/\">");
        assertThat(html).contains(
                "<time datetime=\"2013-03-16T17:41:10-04:00\">Saturday 16 March 2013, 17:41 EDT</time>");
        assertThat(html).contains("rel=\"prev\"", "href=\"/read/field-notes/2\"", "rel=\"next\"",
                "href=\"/read/field-notes/4\"", "href=\"/pack/field-notes\"");
        assertThat(page("/read/field-notes/0")).doesNotContain("rel=\"prev\"");
        assertThat(page("/read/field-notes/5")).doesNotContain("rel=\"next\"");
    }

    @Test
    void markdownIsRenderedSafelyWithWorkingRelativeLinks() throws Exception {
        int intro = position("evil", "guide/intro.md");
        String html = page(PageUrls.read("evil", intro));
        assertThat(html).contains("<strong>bold</strong>", "&lt;script&gt;alert(5)&lt;/script&gt;",
                "&lt;div onclick=&quot;alert(6)&quot;&gt;");
        assertThat(html).doesNotContain("javascript:").doesNotContain("<div onclick");
        assertThat(html).contains("href=\"" + PageUrls.read("evil", position("evil", "notes.txt")) + "\"",
                "href=\"" + PageUrls.read("evil", position("evil", "guide/two.md")) + "#part\"",
                "href=\"/packs/evil/deep/page.html\"", "href=\"https://example.org/x\"",
                "src=\"/packs/evil/guide/pics/leaf.png\"", "loading=\"lazy\"");
        assertThat(html).doesNotContain("src=\"http://example.org/remote.png\"")
                .contains("href=\"http://example.org/remote.png\"");
    }

    @Test
    void textIsEscapedAndMediaAreEmbeddedWithADownload() throws Exception {
        String text = page(PageUrls.read("evil", position("evil", "readme.txt")));
        assertThat(text).contains("<pre class=\"plain\" dir=\"ltr\" lang=\"fr\">Plain text with &lt;script&gt;alert(9)");
        String video = page(PageUrls.read("evil", position("evil", "media/clip.webm")));
        assertThat(video).contains("<video class=\"media\" controls preload=\"metadata\" playsinline "
                + "src=\"/packs/evil/media/clip.webm\">", "href=\"/packs/evil/media/clip.webm\" download");
        assertThat(page(PageUrls.read("evil", position("evil", "media/song.mp3"))))
                .contains("<audio class=\"media\" controls preload=\"metadata\" src=\"/packs/evil/media/song.mp3\">");
        assertThat(page(PageUrls.read("evil", position("evil", "docs/manual.pdf"))))
                .contains("<object class=\"pdf\" data=\"/packs/evil/docs/manual.pdf\" type=\"application/pdf\">",
                        "Open the PDF");
    }

    @Test
    void webPageItemsOpenAsThePacksOwnPages() throws Exception {
        HttpResponse<String> r = server.http().get(PageUrls.read("evil", position("evil", "deep/page.html")));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("/packs/evil/deep/page.html");
    }

    @Test
    void aMisspelledSearchOffersTheClosestWordOnThePageAndInTheApi() throws Exception {
        String page = page("/search?q=photosyntesis");
        assertThat(page).contains("No results", "Did you mean:",
                "href=\"/search?q=photosynthesis\"", "<strong>photosynthesis</strong>");
        assertThat(page("/search?q=photosynthesis")).doesNotContain("Did you mean");
        HttpResponse<String> api = server.http().get("/api/v1/search?q=photosyntesis");
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains("\"total\":0", "\"suggestion\":\"photosynthesis\"");
        assertThat(server.http().get("/api/v1/search?q=photosynthesis").body()).contains("\"suggestion\":null");
    }

    @Test
    void searchFindsRanksHighlightsAndPages() throws Exception {
        String numba = page("/search?q=Numba");
        assertThat(numba).contains("Numba Talk", "<mark>Numba</mark>", "value=\"Numba\"");
        assertThat(page("/search?q=gunicorn")).contains("<mark>gunicorn</mark>", "/read/field-notes/");
        assertThat(page("/search?q=Khan+Academy")).contains("Khan Academy Lite", "<mark>Khan</mark>");
        String within = page("/search?q=chlorophyll&pack=evil");
        assertThat(within).contains("Searching in", "name=\"pack\" value=\"evil\"", "/search?q=chlorophyll\"");
        String first = page("/search?q=photosynthesis");
        assertThat(first).contains("120 results", "Page 1 of 12", "href=\"/search?q=photosynthesis&amp;page=2\"")
                .doesNotContain("rel=\"prev\"");
        assertThat(count(first, "<li>")).isEqualTo(10);
        String last = page("/search?q=photosynthesis&page=12");
        assertThat(last).contains("start=\"111\"", "rel=\"prev\"").doesNotContain("rel=\"next\"");
        assertThat(page("/search?q=photosynthesis&page=50")).contains("There are no more results");
        assertThat(page("/search?q=zzqx")).contains("No results", "Try fewer words");
        assertThat(page("/search")).contains("Type a word");
    }

    @Test
    void searchMisuseNeverFails() throws Exception {
        List<String> queries = List.of("", "   ", "x".repeat(2000), "word ".repeat(400), "\"", "\"unclosed", "*", "-",
                "a* -b", "NEAR(a b)", "NEAR", "(", ")", "((((", "a OR b AND NOT c", "' OR 1=1 --",
                "'; DROP TABLE item; --", "\\", "%", "%%%", "🙂", "📚🔬 sciences", "مكتبة", "עברית", "é",
                "\u0000", "\u0002marker\u0003", "<script>alert(1)</script>", "title:foo", "{a}", "^", "a\"b*c(d)e-f");
        for (String q : queries) {
            for (String pack : new String[]{null, "evil"}) {
                String path = "/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                        + (pack == null ? "" : "&pack=" + pack);
                HttpResponse<String> r = server.http().get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.body()).as(path).doesNotContain("<script>alert").doesNotContain("SQL")
                        .doesNotContainIgnoringCase("exception")
                        .containsAnyOf("result", "Nothing matched", "Type a word");
            }
        }
        assertThat(page("/search?q=" + URLEncoder.encode(ReadingFixtures.ARABIC_TITLE.split(" ")[0],
                StandardCharsets.UTF_8))).contains("1 result", "<mark>");
        assertThat(page("/search?q=photosynthesis&page=-3")).contains("Page 1 of 12");
    }

    @Test
    void unknownPlacesGetAFriendlyPageWhileProgramsKeepJson() throws Exception {
        for (String path : List.of("/pack/nope", "/read/nope/0", "/read/evil/999", "/read/evil/abc",
                "/read/evil/-1", "/no/such/page", "/search?q=x&pack=nope", "/static/app.0000000000.css")) {
            HttpResponse<String> r = server.http().get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).as(path).get().asString()
                .matches("text/html; ?charset=utf-8");
            assertThat(r.body()).as(path).contains("Page not found", "Go to the library", "<form class=\"search\"")
                    .doesNotContain("Exception").doesNotContain("Endpoint");
        }
        assertThat(server.http().get("/pack/nope").body()).contains("There is no pack called “nope” in this library.");
        HttpResponse<String> raw = server.http().get("/packs/nope/x.html");
        assertThat(raw.statusCode()).isEqualTo(404);
        assertThat(raw.body()).contains("\"error\":\"not_found\"");
        HttpResponse<String> api = server.http().get("/api/v1/nothing");
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.body()).contains("\"error\":\"not_found\"");
    }

    @Test
    void eachPageWithItsStylesheetStaysUnderBudget() throws Exception {
        for (String path : allPages()) {
            String html = page(path);
            Matcher css = CSS.matcher(html);
            assertThat(css.find()).as(path).isTrue();
            int cssBytes = server.http().get(css.group(1)).body().getBytes(StandardCharsets.UTF_8).length;
            int htmlBytes = html.getBytes(StandardCharsets.UTF_8).length;
            assertThat(htmlBytes + cssBytes).as(path).isLessThan(BUDGET_BYTES);
        }
    }

    @Test
    void stylesheetHasAHashedNameIsCachedForeverAndCompressed() throws Exception {
        Matcher css = CSS.matcher(page("/"));
        assertThat(css.find()).isTrue();
        HttpResponse<byte[]> r = server.http().bytes("GET", css.group(1), null, "Accept-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(r.headers().firstValue("Content-Type")).get().asString().matches("text/css; ?charset=utf-8");
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String text = new String(new GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(text).contains("prefers-color-scheme:dark"); // minified, see CssMinifier
        String hash = css.group(1).replaceAll(".*app\\.([0-9a-f]{10})\\.css", "$1");
        assertThat(org.offlinecommons.store.Hashes.sha256Hex(text.getBytes(StandardCharsets.UTF_8))).startsWith(hash);
    }

    private static int position(String packId, String path) {
        return server.library().catalog().items(packId).stream().filter(i -> i.path().equals(path)).findFirst()
                .orElseThrow().position();
    }

    private static String between(String s, String from, String to) {
        int a = s.indexOf(from);
        int b = s.indexOf(to, a);
        return s.substring(a, b);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
