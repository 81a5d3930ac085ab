package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written word scan of snippets cuts exactly what the regex-based one it replaced cut. */
class SnippetTest {

    private static final String[] WORDS = {"the", "Photosynthesis", "plants", "light", "café", "Café", "naïve",
        "Ünïcödé", "x2", "42", "über", "ÜBER", "résumé", "资料", "日本語", "Ⅻ", "e\u0301t\u00e9", "𝒜lpha", "PHOTO",
        "photograph", "light-weight", "socket", "timeout", "a", "ß", "İstanbul"};
    private static final String[] GAPS = {" ", ", ", ". ", " — ", "\n", "(", ") ", "'", " \u00a0", "…", "_", "-"};

    @Test
    void snippetsMatchTheRegexScanOnRandomText() {
        Random rng = new Random(7);
        for (int round = 0; round < 3000; round++) {
            StringBuilder text = new StringBuilder();
            int words = rng.nextInt(rng.nextBoolean() ? 10 : 200);
            for (int i = 0; i < words; i++) {
                text.append(WORDS[rng.nextInt(WORDS.length)]).append(GAPS[rng.nextInt(GAPS.length)]);
            }
            StringBuilder query = new StringBuilder();
            for (int i = 0, q = 1 + rng.nextInt(3); i < q; i++) {
                String w = WORDS[rng.nextInt(WORDS.length)];
                query.append(w, 0, 1 + rng.nextInt(w.length())).append(' ');
            }
            List<String> terms = SearchIndex.foldedTerms(query.toString());
            assertThat(SearchIndex.snippet(text.toString(), terms)).as("%s in %s", terms, text)
                    .isEqualTo(regexSnippet(text.toString(), terms));
        }
    }

    @Test
    void matchedWordsAreMarkedAndLongTextIsCut() {
        String text = "Green plants use light. " + "Other words follow here. ".repeat(40);
        String s = SearchIndex.snippet(text, SearchIndex.foldedTerms("PLANT lig"));
        assertThat(s).startsWith("Green \u0002plants\u0003 use \u0002light\u0003.").endsWith("…");
        assertThat(SearchIndex.snippet("", List.of("x"))).isEmpty();
    }

    /** The implementation before the hand-written scan, kept as the reference. */
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}\\p{M}]+");

    private static String regexSnippet(String text, List<String> terms) {
        List<int[]> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        int[] inWindow = new int[terms.size()];
        int distinct = 0;
        int best = -1;
        int bestStart = 0;
        while (m.find()) {
            int term = -1;
            String folded = SearchIndex.fold(m.group());
            for (int t = 0; t < terms.size() && term < 0; t++) {
                if (folded.startsWith(terms.get(t))) {
                    term = t;
                }
            }
            words.add(new int[] {m.start(), m.end(), term});
            if (term >= 0 && inWindow[term]++ == 0) {
                distinct++;
            }
            int n = words.size();
            if (n > 24) {
                int leaving = words.get(n - 1 - 24)[2];
                if (leaving >= 0 && --inWindow[leaving] == 0) {
                    distinct--;
                }
            }
            if (distinct > best) {
                best = distinct;
                int[] counts = inWindow.clone();
                int from = Math.max(0, n - 24);
                while (from < n - 1) {
                    int t = words.get(from)[2];
                    if (t >= 0 && counts[t] == 1) {
                        break;
                    }
                    if (t >= 0) {
                        counts[t]--;
                    }
                    from++;
                }
                bestStart = best == 0 ? 0 : from;
            }
            if (best == terms.size() && n >= bestStart + 24) {
                break;
            }
        }
        if (words.isEmpty()) {
            return "";
        }
        int start = Math.max(0, bestStart - 4);
        int end = Math.min(words.size(), start + 24);
        boolean more = end < words.size() || m.find();
        StringBuilder out = new StringBuilder();
        if (start > 0) {
            out.append('…');
        }
        int at = words.get(start)[0];
        for (int w = start; w < end; w++) {
            int[] word = words.get(w);
            out.append(text, at, word[0]);
            if (word[2] >= 0) {
                out.append('\u0002').append(text, word[0], word[1]).append('\u0003');
            } else {
                out.append(text, word[0], word[1]);
            }
            at = word[1];
        }
        if (more) {
            out.append('…');
        }
        return out.toString();
    }
}
