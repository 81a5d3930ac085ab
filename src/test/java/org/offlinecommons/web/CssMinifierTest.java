package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CssMinifierTest {

    @Test
    void dropsCommentsIndentationAndSpacesAroundPunctuation() {
        assertThat(CssMinifier.minify("""
                /* colours */
                :root {
                  --bg: #fff;   --fg: #111;
                }
                .a > b, .c { margin: 0 auto; }
                """)).isEqualTo(":root{--bg:#fff;--fg:#111}.a>b,.c{margin:0 auto}");
    }

    @Test
    void keepsWhatChangesMeaning() {
        assertThat(CssMinifier.minify(".card :focus { width: calc(100% - 2rem); }"))
                .isEqualTo(".card :focus{width:calc(100% - 2rem)}");
        assertThat(CssMinifier.minify("li + li::before { content: \"a, b; {c}\"; font: 1rem \"Segoe UI\", sans-serif; }"))
                .isEqualTo("li + li::before{content:\"a, b; {c}\";font:1rem \"Segoe UI\",sans-serif}");
        assertThat(CssMinifier.minify("@media (min-width: 40em) and (prefers-color-scheme: dark) { a { b: c } }"))
                .isEqualTo("@media (min-width:40em) and (prefers-color-scheme:dark){a{b:c}}");
        assertThat(CssMinifier.minify("a::after { content: '\\'/* x */' }")).isEqualTo("a::after{content:'\\'/* x */'}");
    }
}
