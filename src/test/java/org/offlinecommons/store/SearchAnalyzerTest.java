package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the index sees of a text and of a query, and that every query stays valid FTS5. */
class SearchAnalyzerTest {

    @TempDir
    Path tmp;

    @Test
    void wordsAreFoldedAndStemmedInThePacksLanguage() {
        assertThat(SearchAnalyzer.indexText("Reading FILES, élan", "en", false))
                .isEqualTo("reading ǀread files ǀfile elan");
        assertThat(SearchAnalyzer.indexText("Reading files", "sw", false)).as("no Swahili stemmer")
                .isEqualTo("reading files");
        assertThat(SearchAnalyzer.indexText("Les élèves", "fr-FR", false)).isEqualTo("les ǀle eleves ǀelev");
        // Vowel signs stay part of Hindi words; a stem mark in text is not a stem.
        assertThat(SearchAnalyzer.indexText("नमस्ते", "und", false)).isEqualTo("नमस्ते");
        assertThat(SearchAnalyzer.fold("ǀread")).isEqualTo("read");
    }

    @Test
    void runsOfChineseAreCutIntoWordsAndTitlesKeepTheRunWhole() {
        List<String> words = List.of(SearchAnalyzer.indexText("光合作用是植物利用阳光", "zh", false).split(" "));
        assertThat(words).contains("植物", "阳光").doesNotContain("光合作用是植物利用阳光");
        assertThat(SearchAnalyzer.indexText("光合作用是植物利用阳光", "zh", true).split(" "))
                .contains("光合作用是植物利用阳光", "植物");
    }

    @Test
    void queriesAreSafeExpressionsThatFts5Accepts() {
        SearchQuery q = SearchQuery.parse("Reads \"green house\" 光合作用是植物", List.of("en"));
        // A run of Chinese: as typed (a title begins with it), or its words.
        assertThat(q.match()).isEqualTo("(\"reads\" OR \"ǀreads\" OR \"ǀread\" OR \"read\") AND \"green\" AND \"house\" AND "
                + "(\"光合作用是植物\"* OR (\"光合作用\"* AND \"是\"* AND \"植物\"*))");
        assertThat(q.phrases()).containsExactly("green house");
        assertThat(q.rank()).contains(" OR ");
        try (Library library = Library.open(tmp)) {
            for (String s : new String[] {"\"", "\"\"", "\" \"", "\"a\" \"b\"", "ǀread", "\"光合 作用\"", "NEAR(\"a b\")",
                "a AND", "OR OR", "\"unclosed 光合作用", "AND \"x\" OR", "x".repeat(300) + " 光".repeat(40)}) {
                SearchResults r = library.search().searchFresh(s, null, 10, 0);
                assertThat(r.total()).as(s).isZero();
            }
        }
    }

    @Test
    void editDistanceCountsSwapsAsOneAndStopsPastTheLimit() {
        assertThat(SpellingSuggester.distance("photosyntesis", "photosynthesis", 2)).isEqualTo(1);
        assertThat(SpellingSuggester.distance("maek", "make", 2)).isEqualTo(1);
        assertThat(SpellingSuggester.distance("abc", "xyz", 2)).isEqualTo(3);
        assertThat(SpellingSuggester.distance("same", "same", 2)).isZero();
    }
}
