package org.offlinecommons.notes;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NotesRendererTest {

    private static Document dom(String body) {
        return Jsoup.parseBodyFragment(NotesRenderer.toHtml(body));
    }

    @Test
    void emptyBodyRendersNothing() {
        assertThat(NotesRenderer.toHtml("")).isEmpty();
        assertThat(NotesRenderer.plainText("")).isEmpty();
    }

    @Test
    void outputIsAFragment() {
        assertThat(NotesRenderer.toHtml("Hello")).isEqualTo("<p>Hello</p>");
    }

    @Test
    void scriptTagsAreEscapedEverywhere() {
        String body = "<script>alert('p')</script>\n\n"
                + "<script>h</script>\n~~~~~~~~~~~~~~~~~\n\n"
                + "* <script>li</script>\n\n"
                + "    <script>pre</script>";

        String html = NotesRenderer.toHtml(body);

        assertThat(html).doesNotContain("<script");
        assertThat(html).contains(
                "<p>&lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt;</p>",
                "<h2>&lt;script&gt;h&lt;/script&gt;</h2>",
                "<li>&lt;script&gt;li&lt;/script&gt;</li>",
                "<pre>&lt;script&gt;pre&lt;/script&gt;</pre>");
    }

    @Test
    void allHtmlSignificantCharactersAreEscaped() {
        assertThat(NotesRenderer.toHtml("a < b > c & \"d\" 'e'"))
                .isEqualTo("<p>a &lt; b &gt; c &amp; &quot;d&quot; &#39;e&#39;</p>");
    }

    @Test
    void urlCannotBreakOutOfItsAttribute() {
        String html = NotesRenderer.toHtml("http://evil.example/\"><img src=x onerror=alert(1)>?a=1&b=2");

        assertThat(html).doesNotContain("<img").contains("href=\"http://evil.example/\"");
        Document dom = Jsoup.parseBodyFragment(html);
        assertThat(dom.select("img")).isEmpty();
        assertThat(dom.select("a")).singleElement().satisfies(a -> assertThat(a.attr("href")).isEqualTo("http://evil.example/"));
    }

    @Test
    void ampersandsInUrlsAreEscapedInTheAttribute() {
        assertThat(NotesRenderer.toHtml("https://example.org/?a=1&b=2"))
                .isEqualTo("<p><a href=\"https://example.org/?a=1&amp;b=2\">https://example.org/?a=1&amp;b=2</a></p>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "ftp://example.org/file", "data:text/html,<b>x</b>", "mailto:a@b.c"})
    void onlyHttpAndHttpsBecomeLinks(String text) {
        assertThat(dom(text).select("a")).isEmpty();
    }

    @Test
    void trailingPunctuationIsNotPartOfTheLink() {
        Document dom = dom("See http://example.com/a. Or (https://example.com/b), or https://example.com/c;\n"
                + "and https://en.wikipedia.org/wiki/Python_(programming_language): done");

        assertThat(dom.select("a").eachAttr("href")).containsExactly(
                "http://example.com/a",
                "https://example.com/b",
                "https://example.com/c",
                "https://en.wikipedia.org/wiki/Python_(programming_language)");
        assertThat(dom.text()).contains("http://example.com/a. Or (https://example.com/b), or");
    }

    @Test
    void headingLevelsFollowTheOrderUnderlinesFirstAppear() {
        String body = "Alpha\n-----\n\nBeta\n~~~~\n\nGamma\n=====\n\nDelta\n-----\n";

        assertThat(NotesRenderer.toHtml(body))
                .isEqualTo("<h2>Alpha</h2>\n<h3>Beta</h3>\n<h4>Gamma</h4>\n<h2>Delta</h2>");
    }

    @Test
    void tildesUnderATitleMakeAHeadingNotACodeFence() {
        assertThat(NotesRenderer.toHtml("Model\n~~~~~\nplain text after"))
                .isEqualTo("<h2>Model</h2>\n<p>plain text after</p>");
    }

    @Test
    void dashesAfterABlankLineAreARuleNotAnUnderline() {
        assertThat(NotesRenderer.toHtml("Intro\n\n---\n\nMore")).isEqualTo("<p>Intro</p>\n<hr>\n<p>More</p>");
    }

    @Test
    void loneDashUnderTextIsNeitherUnderlineNorBullet() {
        assertThat(dom("Some text\n-").select("h2, h3, ul")).isEmpty();
        assertThat(NotesRenderer.toHtml("Some text\n- item")).isEqualTo("<p>Some text</p>\n<ul>\n<li>item</li>\n</ul>");
    }

    @Test
    void shortRunUnderALongSentenceIsASeparatorNotAHeading() {
        assertThat(NotesRenderer.toHtml("This sentence is far too long to be underlined by three dashes\n---"))
                .isEqualTo("<p>This sentence is far too long to be underlined by three dashes</p>\n<hr>");
        assertThat(NotesRenderer.toHtml("A fairly long heading title\n---------------------"))
                .isEqualTo("<h2>A fairly long heading title</h2>");
    }

    @Test
    void bulletsAndCodeAreNeverHeadingText() {
        assertThat(NotesRenderer.toHtml("* an item\n---------")).isEqualTo("<ul>\n<li>an item</li>\n</ul>\n<hr>");
        assertThat(NotesRenderer.toHtml("    indented code\n-----------------")).isEqualTo("<pre>indented code</pre>\n<hr>");
    }

    @Test
    void bulletsNestByIndentation() {
        Document dom = dom("* a\n  - b\n    * c\n  - b2\n* d\n- e");

        assertThat(dom.select("body > ul > li")).hasSize(3);
        assertThat(dom.select("body > ul > li > ul > li").eachText()).containsExactly("b c", "b2");
        assertThat(dom.select("body > ul > li > ul > li > ul > li").eachText()).containsExactly("c");
        assertThat(dom.select("body > ul > li").last().text()).isEqualTo("e");
    }

    @Test
    void bulletsSeparatedByBlankLinesStayOneList() {
        assertThat(dom("* a\n\n* b").select("ul")).hasSize(1);
    }

    @Test
    void consecutiveLinesFormOneParagraphAndBlankLinesSeparateThem() {
        assertThat(NotesRenderer.toHtml("one\ntwo\n\nthree")).isEqualTo("<p>one<br>\ntwo</p>\n<p>three</p>");
    }

    @Test
    void indentedOrTabbedLinesAreCodeWithRelativeSpacingKept() {
        assertThat(NotesRenderer.toHtml("Run:\n\n    def f():\n        return 1\n\n    f()\n\nDone"))
                .isEqualTo("<p>Run:</p>\n<pre>def f():\n    return 1\n\nf()</pre>\n<p>Done</p>");
        assertThat(NotesRenderer.toHtml("\tx = 1")).isEqualTo("<pre>x = 1</pre>");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "$ pip install numba",
            ">>> import this",
            "+--------+   +------+",
            "| cell | cell |",
            "client --> server",
            "a -> b -> c",
            "┌──┐",
            "Name      Value",
    })
    void diagramsAndPromptsArePreformatted(String line) {
        assertThat(NotesRenderer.toHtml("Before\n" + line + "\nAfter"))
                .contains("<pre>")
                .startsWith("<p>Before</p>")
                .endsWith("<p>After</p>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Apache + mod_wsgi", "-- NO!", "Big idea -- compile python", "sys | os | io",
            "# an aside", "Check out from ${source control}", "Python -> LLVM"})
    void proseWithPunctuationIsNotPreformatted(String line) {
        assertThat(NotesRenderer.toHtml(line)).startsWith("<p>").doesNotContain("<pre>");
    }

    @Test
    void nonAsciiIsPassedThroughUnescaped() {
        assertThat(NotesRenderer.toHtml("Café — naïve 日本語")).isEqualTo("<p>Café — naïve 日本語</p>");
    }

    @Test
    void plainTextDropsUnderlinesAndBulletMarksAndCollapsesWhitespace() {
        String body = "Title\r\n=====\r\n\r\n*   one   item\r\n  - two\t words\r\n\r\n\r\nend <b>";

        assertThat(NotesRenderer.plainText(body)).isEqualTo("Title one item two words end <b>");
    }
}
