package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What typed words become in the index's query language, and how titles are compared with them. */
class TitleSuggestionsQueryTest {

    @Test
    void everyWordIsAQuotedPrefixInTheTitleColumn() {
        assertThat(TitleSuggestions.toMatchExpression(TitleSuggestions.typedWords("Solar  SYS")))
                .isEqualTo("{title} : (\"solar\"* \"sys\"*)");
        assertThat(TitleSuggestions.toMatchExpression(TitleSuggestions.typedWords("\"a\" OR b* NEAR(c)")))
                .isEqualTo("{title} : (\"a\" \"or\"* \"b\" \"near\"*)");
        assertThat(TitleSuggestions.toMatchExpression(TitleSuggestions.typedWords("Élan"))).isEqualTo("{title} : (\"elan\"*)");
    }

    @Test
    void aSingleLetterIsAWholeWordOrTypedLastOnlyRanks() {
        assertThat(TitleSuggestions.toMatchExpression(List.of("solar", "s"))).isEqualTo("{title} : (\"solar\"*)");
        assertThat(TitleSuggestions.toMatchExpression(List.of("c", "fr"))).isEqualTo("{title} : (\"c\" \"fr\"*)");
        assertThat(TitleSuggestions.toMatchExpression(List.of("s"))).isEmpty();
        assertThat(TitleSuggestions.toMatchExpression(List.of())).isEmpty();
    }

    @Test
    void aRunOfChineseMatchesWholeOrCutIntoDictionaryWords() {
        // Whether the index holds the run as typed, or cut by a word breaker into 植物 利用 阳光.
        assertThat(TitleSuggestions.toMatchExpression(List.of("植物利用阳光")))
                .isEqualTo("{title} : ((\"植物利用阳光\"* OR (\"植物\"* \"利用\"* \"阳光\"*)))");
        // One dictionary word (photosynthesis): nothing to cut.
        assertThat(TitleSuggestions.toMatchExpression(List.of("光合作用"))).isEqualTo("{title} : (\"光合作用\"*)");
        assertThat(TitleSuggestions.toMatchExpression(List.of("光"))).isEqualTo("{title} : (\"光\"*)");
    }

    @Test
    void typingIsCutToEightWordsOfSixtyFourLettersInTheFirstTwoHundredCharacters() {
        assertThat(TitleSuggestions.typedWords("a b c d e f g h i j")).hasSize(8);
        assertThat(TitleSuggestions.typedWords("x".repeat(100)).get(0)).hasSize(64);
        assertThat(TitleSuggestions.typedWords(" ".repeat(200) + "hidden")).isEmpty();
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
}
