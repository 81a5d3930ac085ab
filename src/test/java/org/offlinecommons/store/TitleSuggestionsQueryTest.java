package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What typed words become in the index's query language, and how titles are compared with them. */
class TitleSuggestionsQueryTest {

    @Test
    void everyWordIsAQuotedPrefixOfTheIndexOfTitles() {
        assertThat(TitleSuggestions.toMatchExpression(TitleSuggestions.typedWords("Solar  SYS", false)))
                .isEqualTo("\"solar\"* \"sys\"*");
        assertThat(TitleSuggestions.toMatchExpression(TitleSuggestions.typedWords("\"a\" OR b* NEAR(c)", false)))
                .isEqualTo("\"a\" \"or\"* \"b\" \"near\"*");
        assertThat(TitleSuggestions.toMatchExpression(TitleSuggestions.typedWords("Élan", false)))
                .isEqualTo("\"elan\"*");
        // A letter and its accent are one letter.
        assertThat(TitleSuggestions.toMatchExpression(List.of("e\u0301"))).isEmpty();
    }

    @Test
    void wordsKeepTheirMarksOnlyWhereTheIndexKeepsThemInWords() {
        // Where marks cut words, "विज्ञान" quoted would be a phrase of four words.
        assertThat(TitleSuggestions.typedWords("विज्ञान Élan", false)).containsExactly("वजञन", "elan");
        // Where they are part of words, the tokenizer folds the accent, and the vowel signs stay.
        assertThat(TitleSuggestions.typedWords("विज्ञान Élan", true)).containsExactly("विज्ञान", "élan");
    }

    @Test
    void aSingleLetterIsAWholeWordOrTypedLastOnlyRanks() {
        assertThat(TitleSuggestions.toMatchExpression(List.of("solar", "s"))).isEqualTo("\"solar\"*");
        assertThat(TitleSuggestions.toMatchExpression(List.of("c", "fr"))).isEqualTo("\"c\" \"fr\"*");
        assertThat(TitleSuggestions.toMatchExpression(List.of("s"))).isEmpty();
        assertThat(TitleSuggestions.toMatchExpression(List.of())).isEmpty();
    }

    @Test
    void aRunOfChineseMatchesWholeOrCutIntoDictionaryWords() {
        // Whether the index holds the run as typed, or cut by a word breaker into 植物 利用 阳光.
        assertThat(TitleSuggestions.toMatchExpression(List.of("植物利用阳光")))
                .isEqualTo("(\"植物利用阳光\"* OR (\"植物\"* \"利用\"* \"阳光\"*))");
        // One dictionary word (photosynthesis): nothing to cut.
        assertThat(TitleSuggestions.toMatchExpression(List.of("光合作用"))).isEqualTo("\"光合作用\"*");
        assertThat(TitleSuggestions.toMatchExpression(List.of("光"))).isEqualTo("\"光\"*");
    }

    @Test
    void typingIsCutToEightWordsOfSixtyFourLettersInTheFirstTwoHundredCharacters() {
        assertThat(TitleSuggestions.typedWords("a b c d e f g h i j", false)).hasSize(8);
        assertThat(TitleSuggestions.typedWords("x".repeat(100), false).get(0)).hasSize(64);
        assertThat(TitleSuggestions.typedWords(" ".repeat(200) + "hidden", true)).isEmpty();
    }

    @Test
    void titlesStartAsTypedWhenTheirFirstWordsStartWithTheTypedOnes() {
        assertThat(TitleSuggestions.startsAsTyped("Solar System", List.of("sol", "sys"))).isTrue();
        assertThat(TitleSuggestions.startsAsTyped("  «Élan» vital", List.of("elan", "v"))).isTrue();
        assertThat(TitleSuggestions.startsAsTyped("The solar system", List.of("sol"))).isFalse();
        assertThat(TitleSuggestions.startsAsTyped("Solar", List.of("solar", "wind"))).isFalse();
        assertThat(TitleSuggestions.startsAsTyped("光合作用是植物", List.of("光合"))).isTrue();
        assertThat(TitleSuggestions.wordCount("How plants use light: photosynthesis")).isEqualTo(5);
    }

    @Test
    void foldingRemovesAccentsButKeepsHangulSyllablesWhole() {
        assertThat(TitleSuggestions.fold("ÉLAN")).isEqualTo("elan");
        assertThat(TitleSuggestions.fold("한국어")).isEqualTo("한국어");
        assertThat(TitleSuggestions.fold("Ça")).isEqualTo("ca");
    }

    /** The index as before issue 20's analysis: unicode61's default letters, marks cut words. */
    private static final String MARKS_CUT = "unicode61 remove_diacritics 2";
    /** The index with marks in words (Hindi's vowel signs), as the new analysis makes it. */
    private static final String MARKS_KEPT = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'";

    @Test
    void theQueriesFindTitlesInAnIndexWhoseWordsKeepTheirMarks() throws SQLException {
        // Titles as the new analysis writes them: folded words, and a Chinese run whole and cut.
        List<Long> hindi = matching(MARKS_KEPT, "विज्ञान पा", true,
                "विज्ञान की पाठशाला", "elan vital", "光合作用是植物利用阳光的过程 光合作用 是 植物 利用 阳光 的 过程");
        assertThat(hindi).containsExactly(1L);
        assertThat(matching(MARKS_KEPT, "Élan", true, "विज्ञान की पाठशाला", "elan vital")).containsExactly(2L);
        assertThat(matching(MARKS_KEPT, "植物利用", true, "光合作用是植物利用阳光的过程 光合作用 是 植物 利用 阳光 的 过程"))
                .containsExactly(1L);
    }

    @Test
    void theQueriesFindTitlesInAnIndexWhoseWordsAreCutAtMarks() throws SQLException {
        assertThat(matching(MARKS_CUT, "Élan vi", false, "Élan vital", "Vitamins")).containsExactly(1L);
        assertThat(matching(MARKS_CUT, "光合", false, "光合作用是植物利用阳光的过程")).containsExactly(1L);
        // Never an error, though this index cannot tell Hindi words.
        assertThat(matching(MARKS_CUT, "विज्ञान", false, "विज्ञान की पाठशाला")).isNotNull();
    }

    /** Row ids (from 1) of {@code titles} in an index made with {@code tokenizer} that the typed text's query finds. */
    private static List<Long> matching(String tokenizer, String typed, boolean marksInWords, String... titles)
            throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE VIRTUAL TABLE search USING fts5(title, body, tokenize = \"" + tokenizer + "\","
                        + " prefix = '2 3', detail = column, content = '', contentless_delete = 1)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO search(rowid, title, body) VALUES (?, ?, '')")) {
                for (int i = 0; i < titles.length; i++) {
                    ps.setLong(1, i + 1);
                    ps.setString(2, titles[i]);
                    ps.executeUpdate();
                }
            }
            List<Long> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid")) {
                ps.setString(1, TitleSuggestions.toMatchExpression(TitleSuggestions.typedWords(typed, marksInWords)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getLong(1));
                    }
                }
            }
            return rows;
        }
    }
}
