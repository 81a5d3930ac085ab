package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.web.http.LanguageChoice;

/**
 * Every page over real HTTP in the visitor's language: chosen by the browser's Accept-Language,
 * overridden by the menu's form (no JavaScript: a POST, a cookie, a redirect back), and the
 * server's default otherwise; {@code <html lang dir>} always right, caches told the page varies.
 */
class LanguageChoiceTest {

    @RegisterExtension
    static final TestServer server = TestServer.secure().with(ReadingFixtures::importAll);

    @RegisterExtension
    static final TestServer french = TestServer.secure().options(o -> o.withLanguage(Locale.FRENCH));

    private static final Pattern HTML_TAG = Pattern.compile("<html lang=\"([^\"]+)\" dir=\"([^\"]+)\">");

    @Test
    void everyPageAnswersInTheBrowsersLanguageWithLangAndDir() throws Exception {
        Http admin = server.admin();
        int arabicItem = server.library().catalog().items("arabic").get(0).position();
        List<String> pages = List.of("/", "/?lang=ar", "/pack/arabic", "/pack/bulk?page=2",
                "/read/arabic/" + arabicItem, "/search?q=chlorophyll", "/search?q=", "/no/such/page",
                "/pack/missing", "/admin", "/admin/jobs", "/admin/drives", "/admin/export", "/admin/peers",
                "/admin/packs/poems/delete");
        for (String[] expected : new String[][] {{"ar", "ar", "rtl"}, {"hi-IN,en;q=0.5", "hi", "ltr"},
                {"zh-CN", "zh-Hans", "ltr"}, {"pt-BR", "pt", "ltr"}, {"de", "en", "ltr"}}) {
            for (String path : pages) {
                HttpResponse<String> r = admin.get(path, "Accept-Language", expected[0], "Accept", "text/html");
                assertThat(r.headers().firstValue("Content-Type")).as(path).get().asString().startsWith("text/html");
                Matcher m = HTML_TAG.matcher(r.body());
                assertThat(m.find()).as(expected[0] + " " + path).isTrue();
                assertThat(m.group(1)).as(expected[0] + " " + path).isEqualTo(expected[1]);
                assertThat(m.group(2)).as(expected[0] + " " + path).isEqualTo(expected[2]);
                assertThat(r.headers().allValues("Vary")).as(path)
                        .anySatisfy(v -> assertThat(v).contains("Accept-Language", "Cookie"));
                assertThat(r.headers().firstValue("Content-Language")).as(path)
                        .hasValue(expected[1].equals("zh-Hans") ? "zh" : expected[1]);
            }
        }
        // The login page, the 404 page a student meets, the words inside them, not only the tag.
        Http visitor = server.http();
        assertThat(visitor.get("/admin/login", "Accept-Language", "fr-FR,fr;q=0.9").body())
                .contains("Connexion administrateur");
        HttpResponse<String> missing = visitor.get("/no/such/page", "Accept-Language", "ar", "Accept", "text/html");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("الصفحة غير موجودة");
        assertThat(visitor.get("/", "Accept-Language", "zh-TW").body()).contains("图书馆");
    }

    @Test
    void datesAndSizesOnAdminPagesAreWrittenTheRequestsWay() throws Exception {
        Http admin = server.admin();
        java.time.LocalDate today = java.time.LocalDate.now();
        String french = admin.get("/admin", "Accept-Language", "fr").body();
        String english = admin.get("/admin", "Accept-Language", "en").body();
        // The audit log's login row, dated in each page's language.
        assertThat(french).contains(java.time.format.DateTimeFormatter.ofPattern("d MMM uuuu", Locale.FRENCH).format(today));
        assertThat(english).contains(java.time.format.DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH).format(today));
        // Sizes: CLDR's units in French (octets), the command line's spelling in English.
        assertThat(french).containsPattern("[0-9][ \\u00a0\\u202f](o|ko)\\b");
        assertThat(english).containsPattern("[0-9] (B|KB)\\b");
    }

    @Test
    void compressedPagesVaryByEncodingAndLanguage() throws Exception {
        HttpResponse<byte[]> r = server.http().bytes("GET", "/pack/bulk", null, "Accept-Encoding", "gzip",
                "Accept-Language", "ru");
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String vary = String.join(", ", r.headers().allValues("Vary"));
        assertThat(vary).contains("Accept-Encoding", "Accept-Language", "Cookie");
        assertThat(r.headers().firstValue("Content-Language")).hasValue("ru");
    }

    @Test
    void theLanguageOfOneRequestDoesNotLeakIntoTheNext() throws Exception {
        Http visitor = server.http();
        for (int i = 0; i < 20; i++) {
            assertThat(visitor.get("/", "Accept-Language", "ar").body()).contains("<html lang=\"ar\" dir=\"rtl\">");
            assertThat(visitor.get("/").body()).contains("<html lang=\"en\" dir=\"ltr\">");
        }
    }

    @Test
    void theMenuIsAFormThatSetsACookieAndGoesBackWithoutJavaScript() throws Exception {
        Http visitor = server.http();
        String home = visitor.get("/pack/poems", "Accept-Language", "fr").body();
        assertThat(home).contains("<form action=\"/language\" method=\"post\">",
                "<button name=\"lang\" value=\"ar\" lang=\"ar\">العربية</button>",
                "<button name=\"lang\" value=\"fr\" lang=\"fr\" aria-current=\"true\">Français</button>");
        // No script but the search box's suggestions (suggest.js), which the menu does not need.
        assertThat(home).doesNotContainPattern("<script(?! src=\"/static/suggest\\.)");

        HttpResponse<String> chosen = visitor.send(visitor.formRequest(LanguageChoice.PATH, "lang", "ar")
                .header("Referer", server.url() + "/pack/poems?page=1").header("Accept-Language", "fr"));
        assertThat(chosen.statusCode()).isEqualTo(303);
        assertThat(chosen.headers().firstValue("Location")).hasValue("/pack/poems?page=1");
        String cookie = chosen.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("lang="))
                .findFirst().orElseThrow();
        assertThat(cookie).startsWith("lang=ar;").contains("Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=");

        // The cookie wins over the browser's language, on every page.
        HttpResponse<String> after = visitor.get("/pack/poems?page=1", "Cookie", "lang=ar", "Accept-Language", "fr");
        assertThat(after.body()).contains("<html lang=\"ar\" dir=\"rtl\">",
                "<button name=\"lang\" value=\"ar\" lang=\"ar\" aria-current=\"true\">");
        assertThat(visitor.get("/admin/login", "Cookie", "lang=ar", "Accept-Language", "fr").body())
                .contains("<html lang=\"ar\" dir=\"rtl\">");

        // "Browser language" forgets the choice.
        HttpResponse<String> auto = visitor.send(visitor.formRequest(LanguageChoice.PATH, "lang", "auto")
                .header("Cookie", "lang=ar"));
        assertThat(auto.statusCode()).isEqualTo(303);
        assertThat(auto.headers().firstValue("Location")).hasValue("/");
        assertThat(auto.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("lang=;")
                .contains("Expires=Thu, 01 Jan 1970"));
    }

    @Test
    void theMenuGoesBackOnlyToAPageOfThisServerAndOnlyFromItsOwnPages() throws Exception {
        Http visitor = server.http();
        HttpResponse<String> away = visitor.send(visitor.formRequest(LanguageChoice.PATH, "lang", "fr")
                .header("Referer", server.url() + "//evil.example/x"));
        assertThat(away.headers().firstValue("Location")).hasValue("/");
        HttpResponse<String> crossSite = visitor.send(visitor.formRequest(LanguageChoice.PATH, "lang", "fr")
                .setHeader("Origin", "http://evil.example"));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("lang="));
        HttpResponse<String> unknown = visitor.send(visitor.formRequest(LanguageChoice.PATH, "lang", "tlh"));
        assertThat(unknown.statusCode()).isEqualTo(303);
        assertThat(unknown.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("lang=tlh"));
    }

    @Test
    void theServersDefaultAnswersBrowsersThatAskForNoLanguageWeHave() throws Exception {
        Http visitor = french.http();
        assertThat(visitor.get("/").body()).contains("<html lang=\"fr\" dir=\"ltr\">", "Bibliothèque");
        assertThat(visitor.get("/", "Accept-Language", "de-DE,de;q=0.9").body()).contains("<html lang=\"fr\"");
        assertThat(visitor.get("/", "Accept-Language", "en-US").body()).contains("<html lang=\"en\"");
    }

    @Test
    void packTextKeepsItsOwnLanguageAndDirectionInAnyInterface() throws Exception {
        Http visitor = server.http();
        String home = visitor.get("/", "Accept-Language", "fr").body();
        assertThat(home).contains("<h3 dir=\"rtl\" lang=\"ar\"><a href=\"/pack/arabic\">" + ReadingFixtures.ARABIC_TITLE,
                "<h3 dir=\"ltr\" lang=\"en\"><a href=\"/pack/poems\">Poems for rainy days");
        // The filter names languages in the interface's language: "Arabe" in French.
        assertThat(home).contains("<bdi>Arabe</bdi>", "<bdi>Anglais</bdi>");
        String pack = visitor.get("/pack/arabic", "Accept-Language", "fr").body();
        assertThat(pack).contains("<h1 dir=\"rtl\" lang=\"ar\">" + ReadingFixtures.ARABIC_TITLE);
        String search = visitor.get("/search?q=" + java.net.URLEncoder.encode("مكتبة", java.nio.charset.StandardCharsets.UTF_8),
                "Accept-Language", "fr").body();
        assertThat(search).contains("<html lang=\"fr\" dir=\"ltr\">", "<p class=\"snippet\" dir=\"rtl\" lang=\"ar\">");
        // And the reverse: an English pack in the Arabic interface stays left to right.
        String poems = visitor.get("/pack/poems", "Accept-Language", "ar").body();
        assertThat(poems).contains("<html lang=\"ar\" dir=\"rtl\">", "<h1 dir=\"ltr\" lang=\"en\">Poems for rainy days");
    }
}
