package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"a\u0085b.html", "a\u009b2Jb.html", "a\u0080.html", "a\u009f.html", "evil\u202Etxt.exe",
            "a\u202Ab.html", "a\u2066b.html", "a\u2069b.html", "a\u001b[2J.html", "a\nb.html"})
    void refusesControlCharactersAndBidiOverrides(String path) {
        assertThat(PackPath.problem(path)).as(path).isNotNull()
                .containsAnyOf("control character", "bidirectional override");
    }

    @ParameterizedTest
    @ValueSource(strings = {"caf\u00e9.html", "\u00a0nbsp.html", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629.html",
            "\u4e2d\u6587/\u6587\u4ef6.html", "math\u2070.html"})
    void acceptsOrdinaryTextInAnyScript(String path) {
        assertThat(PackPath.problem(path)).as(path).isNull();
    }

    @org.junit.jupiter.api.Test
    void namesTheCharacter() {
        assertThat(PackPath.problem("a\u202Eb")).isEqualTo("the path contains a bidirectional override (U+202E)");
        assertThat(PackPath.problem("a\u0085b")).isEqualTo("the path contains a control character (U+0085)");
    }

    @org.junit.jupiter.api.Test
    void zimLongPathsUpTo1024BytesAreValid() {
        // A 255-character Cyrillic Wikipedia title is 510 bytes; four bytes a character reach the cap.
        String title = "\uD83D\uDE00".repeat(255);
        assertThat(PackPath.problem("A/" + title)).isNull();
        assertThat(PackPath.problem("A/" + title + "ab")).isNull();
        assertThat(PackPath.problem("A/" + title + "abc")).isEqualTo("the path is longer than 1024 bytes");
    }
}
