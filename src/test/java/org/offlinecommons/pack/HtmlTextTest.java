package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one-pass HTML reader against what jsoup's full parse gave before it (title, else first
 * h1-h3, and the body's text without script, style, noscript, template and head), on ordinary,
 * odd and hostile pages.
 */
class HtmlTextTest {

    /** Words as the search index's tokenizer sees them. */
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}\\p{M}]+");

    @ParameterizedTest
    @ValueSource(strings = {
        // an ordinary page, as the bench corpus and most websites have them
        """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Blood  telloxi</title>
        <link rel="stylesheet" href="a.css"><script src="a.js" defer></script>
        <style>body { color: red }</style></head><body><header><a href="/">School Library</a>
        <nav><ul><li><a href="x.html">Home</a></li><li>Next</li></ul></nav></header>
        <main><article><h1>Blood telloxi</h1><p class="lead">Of in <b>or</b> may <i>agri</i>culture.</p>
        <table><tr><th>a</th><td>b</td></tr></table><figure><img src="i.png" alt="no alt text">
        <figcaption>Cap&shy;tion</figcaption></figure></article></main><footer>&copy; 2024</footer>
        <script>var x = "<p>not text</p>";</script></body></html>""",
        // no title: the first h1-h3, with inline markup and entities
        "<html><body><h4>Four</h4><h2>The <em>Water</em> &amp; Cycle</h2><h1>One</h1><p>text</p>",
        "<h1>A<h2>B</h2>after",
        "<title></title><h3> H3 <script>s</script></h3>",
        // a title in the body is text, not the page's title
        "<body><p>x</p><title>In body</title>",
        "<svg><title>svg t</title></svg><title>Real</title>",
        "<title>x<b>y</b> &lt;i&gt;</title><p>p</p>",
        "<title>unclosed",
        // comments, doctype, processing instructions, bogus comments
        "<p>a<!-- hidden <p>b</p> -->c<!---->d<!-->e<!--->f<?php echo 1 ?>g</ x>h</>i<!x>j</p>",
        "<p>a<!-- never closed <p>b</p>",
        "<p>a<!-- -- --!>b</p>",
        // raw text and RCDATA elements
        "<p>a<script>if (a < b && c > d) document.write('</p><p>x')</script>b</p>",
        "<p>a<script>x = '</scr' + 'ipt>'; y = 1</script>b</p>",
        "<p>a<script>never closed <p>b</p>",
        "<p>a<STYLE>p{}</Style>b<textarea><b>t</b> &amp;</textarea>c</p>",
        "a<xmp>x &amp; y</xmp>b<iframe><p>i</p></iframe>c<noembed>n</noembed>d",
        "<p>a<noscript><p>ns</p></noscript>b<template><p>t<template>u</template>v</p></template>c</p>",
        "<div><noscript>x</div>y",
        "<p>a<plaintext><b>all the rest</b></p>",
        // attributes with '>' and quotes, cut-off tags, stray '<'
        "<p title=\"a > b\" data-x='c > d' e=f>text</p><p a=\"unclosed>lost",
        "<p>1 < 2 and 3<4, a <3 b, x <= y</p><p>end<",
        "<p>cut off <a href=\"x",
        "<p>a<br>b<br/>c</br>d<hr>e<wbr>f<span>g</span>h<unknown>i</unknown>j<my-el>k</my-el></p>",
        // whitespace, entities, invisible characters, other scripts
        "<p>hel<b>lo</b> w&shy;or&#8203;ld&nbsp;x &#x41;&#66;&amp&lt; &notanentity; &ampx</p>",
        "<p>\tmany \n\n spaces\r\n here\u00a0\u00a0too</p>",
        "<p>Ελληνικά, русский, 中文, עברית, हिन्दी</p><p>𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀</p>",
        "<p>a\u0000b\u0001c</p>",
        // structure that the tree builder rearranges
        "text before any tag<title>late</title>",
        "<html><head><p>in head</p><title>T</title></head><body>b</body></html>",
        "<table><tr><td>a<td>b</table>c<ul><li>d<li>e</ul>",
        "",
        "   ",
        "<",
        "<<<>>>",
    })
    void readsWhatJsoupReads(String html) {
        HtmlText.Result ours = HtmlText.read(html, DocumentText.MAX_TEXT_CHARS);
        Document doc = Jsoup.parse(html);
        String title = doc.title().strip();
        if (title.isEmpty()) {
            Element h = doc.selectFirst("h1, h2, h3");
            if (h != null) {
                title = h.text().strip();
            }
        }
        doc.select("script, style, noscript, template, head").remove();
        String text = doc.body() == null ? doc.text() : doc.body().text();
        assertThat(ours.title()).isEqualTo(title);
        assertThat(words(ours.text())).isEqualTo(words(text));
    }

    @Test
    void textIsWhitespaceNormalisedAndCut() {
        assertThat(HtmlText.read("<p> a \n b </p><div>c</div>", 100).text()).isEqualTo("a b c");
        String big = "<p>" + "word ".repeat(1000) + "</p>";
        assertThat(HtmlText.read(big, 100).text()).hasSize(100).startsWith("word word");
    }

    @Test
    void aByteOrderMarkIsNotText() {
        assertThat(HtmlText.read("\uFEFF<title>bom</title><p>x</p>", 100))
                .isEqualTo(new HtmlText.Result("bom", "x"));
    }

    @Test
    void hostileMarkupNeverBecomesMarkupInTheText() {
        HtmlText.Result r = HtmlText.read("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"
                + "<p>&lt;img src=x onerror=alert(1)&gt;</p><p>\u0002marker\u0003</p>", 1000);
        // Entities become characters, as in jsoup's text; they are stored as text and escaped
        // wherever they are shown (SnippetHtml), never markup.
        assertThat(r.title()).isEqualTo("<script>alert(1)</script>");
        assertThat(r.text()).isEqualTo("<img src=x onerror=alert(1)> \u0002marker\u0003");
    }

    @Test
    void deepNestingAndHugePagesAreLinear() {
        String deep = "<div>".repeat(200_000) + "deep" + "</div>".repeat(200_000);
        assertThat(HtmlText.read(deep, 1000).text()).isEqualTo("deep");
        String manyTags = "<b>x</b>".repeat(500_000);
        assertThat(HtmlText.read(manyTags, DocumentText.MAX_TEXT_CHARS).text()).hasSize(500_000);
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
