package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.offlinecommons.web.reading.LibraryPages;
import org.offlinecommons.web.reading.MarkdownHtml;

class MarkdownHtmlTest {

    private static final UnaryOperator<String> RAW = path -> "/packs/p/" + path;

    private static String render(String markdown) {
        return MarkdownHtml.render(markdown, "Title", "docs/guide.md", RAW);
    }

    @Test
    void rawHtmlIsShownAsText() {
        String html = render("<script>alert(1)</script>\n\nText <b onclick=\"x()\">bold</b>\n");
        assertThat(html).doesNotContain("<script").doesNotContain("<b ")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b onclick=&quot;x()&quot;&gt;");
    }

    @Test
    void onlyWebAndMailLinksKeepTheirScheme() {
        assertThat(render("[a](javascript:alert(1)) [b](data:text/html,x) [c](vbscript:x) [d](file:///etc/passwd)"))
                .doesNotContain("javascript:").doesNotContain("data:").doesNotContain("vbscript:")
                .doesNotContain("file:");
        assertThat(render("[a](https://example.org/x?y=1) [m](mailto:a@b.org)"))
                .contains("href=\"https://example.org/x?y=1\"", "href=\"mailto:a@b.org\"");
    }

    @Test
    void relativeLinksResolveInsideThePack() {
        assertThat(render("[a](other.md) [b](../img/x%20y.png#top) [c](/root.txt) [d](./sub/../z.md?q=1)"))
                .contains("href=\"/packs/p/docs/other.md\"", "href=\"/packs/p/img/x y.png#top\"",
                        "href=\"/packs/p/root.txt\"", "href=\"/packs/p/docs/z.md\"");
        assertThat(render("[escape](../../../etc/passwd) [frag](#part)"))
                .contains("href=\"\"", "href=\"#part\"").doesNotContain("passwd\"");
        assertThat(MarkdownHtml.resolve("a/b/c.md", "../../../x")).isNull();
        assertThat(MarkdownHtml.resolve("c.md", "d/e.md")).isEqualTo("d/e.md");
    }

    @Test
    void imagesLoadLazilyFromThePackAndRemoteOnesBecomeLinks() {
        String html = render("![leaf](pics/leaf.png) ![far](https://example.org/far.png)");
        assertThat(html).contains("src=\"/packs/p/docs/pics/leaf.png\"", "loading=\"lazy\"", "alt=\"leaf\"")
                .doesNotContain("src=\"https://example.org/far.png\"")
                .contains("href=\"https://example.org/far.png\">far</a>");
    }

    @Test
    void theTitleHeadingIsNotRepeatedAndHeadingsStartAtH2() {
        assertThat(render("# Title\n\nIntro\n\n## Part\n\n### Detail\n"))
                .doesNotContain("<h1>").doesNotContain("Title")
                .contains("<h2>Part</h2>", "<h3>Detail</h3>");
        assertThat(render("# Another\n\n# Second\n")).contains("<h2>Another</h2>", "<h2>Second</h2>");
        assertThat(render("Text\n\n#### Deep\n")).contains("<h4>Deep</h4>");
    }

    @Test
    void aNotesTitleLineIsDroppedOnlyWhenItIsExactlyTheTitle() {
        assertThat(LibraryPages.withoutTitleLine("<p>Numba Talk</p>\n<p>PyCUDA</p>", "Numba Talk"))
                .isEqualTo("<p>PyCUDA</p>");
        assertThat(LibraryPages.withoutTitleLine("<p>Khan Academy Lite - Access</p>", "Khan Academy Lite"))
                .isEqualTo("<p>Khan Academy Lite - Access</p>");
        assertThat(LibraryPages.withoutTitleLine("<p>A &amp; B</p>", "A & B")).isEmpty();
    }
}
