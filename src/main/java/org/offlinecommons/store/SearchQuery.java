package org.offlinecommons.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a person typed, made into a safe FTS5 expression, analysed as the index was
 * ({@link SearchAnalyzer}).
 *
 * <p>People type words, not FTS5 syntax: each word becomes a group of quoted terms, so
 * {@code *}, {@code -}, {@code NEAR} or stray parentheses are just text and can never make the
 * query fail. Words match whole words ("class" is not "classroom"; "pi" is not "pilot"), and
 * their other forms by their stems (below): the body index keeps no prefix index, and merging
 * the lists of every word a typed word begins grows with the library (docs/performance.md,
 * "Whole words first"). Only when that finds nothing is every word tried as a prefix
 * ({@link #parseAllPrefixes}: "asyn" finds "asyncio", "pho" "photosynthesis"); the search box's
 * suggestions, from an index of titles that keeps prefix indexes, complete words as they are
 * typed. Runs of Chinese, Japanese or Thai are always prefixes: such words are short whatever
 * they mean, and few indexed words share their first letters. Any word also matches
 * by its stem in any of {@code languages} ("reads" finds "reading"): {@code ("reads" OR "ǀreads" OR
 * "ǀread" OR "read")}. Words between double quotes are a phrase: each must be there as written (no
 * prefix, no stem), and since the index keeps no positions ({@code detail=none}), the search
 * checks that they stand together in the hit's text ({@link #phrases}).
 *
 * @param match    the FTS5 expression, "" when the query holds no words
 * @param rank     the same words ORed, for ranking: an item's title with some of them counts
 * @param words    the folded words typed, in order (for "did you mean")
 * @param terms    what to highlight in snippets: folded words and their stems
 * @param phrases  each phrase of two or more words, folded and joined by single spaces
 */
public record SearchQuery(String match, String rank, List<String> words, List<String> terms, List<String> phrases) {

    static final int MAX_TERMS = 12;
    static final int MAX_TERM_LENGTH = 64;

    public SearchQuery {
        words = List.copyOf(words);
        terms = List.copyOf(terms);
        phrases = List.copyOf(phrases);
    }

    public boolean isEmpty() {
        return match.isEmpty();
    }

    /** The query {@code q} for packs in {@code languages} (language tags; stems of each are tried). */
    public static SearchQuery parse(String q, Collection<String> languages) {
        return parse(q, languages, false);
    }

    /**
     * The same with every word a prefix: what a search whose words found nothing whole asks next
     * ("pho" typed for "photosynthesis").
     */
    public static SearchQuery parseAllPrefixes(String q, Collection<String> languages) {
        return parse(q, languages, true);
    }

    private static SearchQuery parse(String q, Collection<String> languages, boolean allPrefixes) {
        String query = q == null ? "" : q;
        Set<String> stemLanguages = new LinkedHashSet<>();
        for (String l : languages) {
            if (SearchAnalyzer.stems(l)) {
                stemLanguages.add(SearchAnalyzer.primary(l));
            }
        }
        StringBuilder match = new StringBuilder();
        List<String> words = new ArrayList<>();
        Set<String> terms = new LinkedHashSet<>();
        List<String> phrases = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> exact = new ArrayList<>();
        int count = 0;
        int i = 0;
        while (i < query.length() && count < MAX_TERMS) {
            int open = nextQuote(query, i);
            int close = open < 0 ? -1 : nextQuote(query, open + 1);
            // An unclosed quote is a quote mark typed, not a phrase: its words are searched as words.
            String plain = query.substring(i, open < 0 || close < 0 ? query.length() : open);
            for (String written : words(plain)) {
                if (count >= MAX_TERMS) {
                    break;
                }
                List<String> pieces = SearchAnalyzer.needsSegmentation(written) ? segments(written) : List.of(written);
                pieces = pieces.subList(0, Math.min(pieces.size(), MAX_TERMS));
                count += pieces.size();
                String w = SearchAnalyzer.fold(written);
                if (pieces.size() > 1) {
                    // A run of Chinese or Japanese: its words, or a word it begins.
                    int from = and(match).length();
                    match.append("(\"").append(w).append("\"* OR (");
                    for (int p = 0; p < pieces.size(); p++) {
                        String piece = SearchAnalyzer.fold(pieces.get(p));
                        match.append(p == 0 ? "\"" : " AND \"").append(piece).append("\"*");
                        words.add(piece);
                        terms.add(piece);
                    }
                    match.append("))");
                    groups.add(match.substring(from));
                    terms.add(w);
                    continue;
                }
                words.add(w);
                Set<String> group = new LinkedHashSet<>();
                terms.add(w);
                for (String l : stemLanguages) {
                    // Stemmed as written: French stems "élèves", not "eleves", as the index did.
                    String stem = SearchAnalyzer.stem(written, l);
                    if (stem != null && !stem.isEmpty() && !stem.equals(w)) {
                        group.add(stem);
                        terms.add(stem);
                    }
                }
                int from = and(match).length();
                append(match, w, group, !stemLanguages.isEmpty(), allPrefixes);
                groups.add(match.substring(from));
                // For ranking, the word as typed also counts whole: "chapter7" before "chapter764".
                exact.add("\"" + w + "\"");
            }
            if (open < 0 || close < 0) {
                break;
            }
            String quoted = query.substring(open + 1, close);
            List<String> phraseWords = new ArrayList<>();
            for (String written : tokens(quoted)) {
                if (count++ >= MAX_TERMS) {
                    break;
                }
                String w = SearchAnalyzer.fold(written);
                words.add(w);
                terms.add(w);
                phraseWords.add(w);
                int from = and(match).length();
                match.append('"').append(w).append('"');
                groups.add(match.substring(from));
            }
            if (phraseWords.size() > 1) {
                phrases.add(String.join(" ", phraseWords));
            }
            i = close + 1;
        }
        // The groups ANDed for matching, ORed for ranking.
        groups.addAll(exact);
        return new SearchQuery(match.toString(), String.join(" OR ", groups), words, new ArrayList<>(terms), phrases);
    }

    private static StringBuilder and(StringBuilder match) {
        return match.length() > 0 ? match.append(" AND ") : match;
    }

    private static void append(StringBuilder match, String word, Set<String> stems, boolean stemmed,
                               boolean allPrefixes) {
        // Terms hold no double quotes, so quoting makes each a plain token; '*' makes it a prefix.
        boolean prefix = allPrefixes || matchesAsPrefix(word);
        String term = '"' + word + (prefix ? "\"*" : "\"");
        if (stems.isEmpty() && (prefix || !stemmed)) {
            match.append(term);
            return;
        }
        match.append('(').append(term);
        if (!prefix && stemmed) {
            // A word that is no prefix finds its other forms ("keys" for "key") by the marked
            // stem they were indexed with, which the word is when it is its own stem.
            match.append(" OR \"").append(SearchAnalyzer.STEM_MARK).append(word).append('"');
        }
        for (String stem : stems) {
            // A word whose stem differs is indexed with its marked stem; one that is its own stem
            // only as itself.
            match.append(" OR \"").append(SearchAnalyzer.STEM_MARK).append(stem).append('"');
            match.append(" OR \"").append(stem).append('"');
        }
        match.append(')');
    }

    /** Whether a word matches the words it begins even in the first, whole-word search. */
    static boolean matchesAsPrefix(String word) {
        return SearchAnalyzer.needsSegmentation(word);
    }

    /** The words of a piece of query as written, runs of Chinese or Japanese cut into their words. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String word : words(text)) {
            if (SearchAnalyzer.needsSegmentation(word)) {
                segments(word).forEach(s -> add(out, s));
            } else {
                add(out, word);
            }
        }
        return out;
    }

    private static List<String> segments(String run) {
        List<String> out = new ArrayList<>();
        SearchAnalyzer.segments(run, out::add);
        return out.isEmpty() ? List.of(run) : out;
    }

    /** The words of a piece of query as written (at most {@value #MAX_TERM_LENGTH} chars each). */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (true) {
            int start = SearchAnalyzer.nextWordStart(text, pos);
            if (start >= text.length()) {
                break;
            }
            int end = SearchAnalyzer.wordEnd(text, start);
            pos = end;
            add(out, text.substring(start, Math.min(end, start + MAX_TERM_LENGTH)));
        }
        return out;
    }

    private static void add(List<String> out, String word) {
        String folded = SearchAnalyzer.fold(word);
        if (!folded.isEmpty() && out.stream().noneMatch(w -> SearchAnalyzer.fold(w).equals(folded))) {
            out.add(word);
        }
    }

    /** The next double quote (straight, curly or guillemet) at or after {@code from}, or -1. */
    private static int nextQuote(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\u201C' || ch == '\u201D' || ch == '\u201E' || ch == '\u00AB' || ch == '\u00BB') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Text reduced to its folded words, each followed by one space, for phrase checks: a phrase
     * {@code p} is in {@code t} when {@code normalized(t)} contains {@code " " + p + " "}
     * (runs of Chinese or Japanese are compared as they are written, without spaces).
     */
    static String normalized(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append(' ');
        int pos = 0;
        while (true) {
            int start = SearchAnalyzer.nextWordStart(text, pos);
            if (start >= text.length()) {
                break;
            }
            int end = SearchAnalyzer.wordEnd(text, start);
            pos = end;
            out.append(SearchAnalyzer.fold(text.substring(start, end))).append(' ');
        }
        return out.toString();
    }

    /** Whether a phrase (as in {@link #phrases}) stands in {@code normalizedText}. */
    static boolean contains(String normalizedText, String phrase) {
        if (SearchAnalyzer.needsSegmentation(phrase)) {
            return normalizedText.contains(phrase.replace(" ", ""))
                    || normalizedText.contains(phrase);
        }
        return normalizedText.contains(" " + phrase + " ");
    }
}
