package org.offlinecommons.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * "Did you mean": for a query that found nothing, the closest spelling of each word that is in
 * no indexed word, from the index's own vocabulary ({@code search_vocab}, fts5vocab over the
 * search table). Only words people wrote are proposed, never stems: stems are indexed behind
 * {@link SearchAnalyzer#STEM_MARK} and the terms looked at begin with the word's first letter.
 *
 * <p>Bounded work: the terms scanned are those beginning with the same letter, at most
 * {@value #MAX_SCANNED} of them, and within {@value #MAX_DISTANCE} edits. Among equally close
 * terms the one in the most items wins.
 */
final class SpellingSuggester {

    static final int MAX_SCANNED = 50_000;
    static final int MAX_DISTANCE = 2;
    private static final int MIN_LENGTH = 3;

    private final Database db;

    SpellingSuggester(Database db) {
        this.db = db;
    }

    /**
     * The query with its unknown words replaced by their closest spellings, if any word was
     * replaced and {@code findsSomething} says the result finds something.
     */
    Optional<String> suggest(SearchQuery query, String typed, Predicate<String> findsSomething) {
        List<String> out = new ArrayList<>();
        boolean changed = false;
        for (String word : query.words()) {
            String better = word;
            if (correctable(word) && !known(word)) {
                better = closest(word).orElse(word);
            }
            changed |= !better.equals(word);
            out.add(better);
        }
        if (!changed) {
            return Optional.empty();
        }
        String suggestion = String.join(" ", out);
        return findsSomething.test(suggestion) ? Optional.of(suggestion) : Optional.empty();
    }

    private static boolean correctable(String word) {
        if (word.codePointCount(0, word.length()) < MIN_LENGTH || SearchAnalyzer.needsSegmentation(word)) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.isDigit(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether some indexed word begins with {@code word}. */
    private boolean known(String word) {
        return db.query("SELECT 1 FROM search_vocab WHERE term >= ? AND term < ? LIMIT 1", ps -> {
            ps.setString(1, word);
            ps.setString(2, word + '\uFFFF');
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    /** The indexed word closest to {@code word}, beginning with the same letter. */
    Optional<String> closest(String word) {
        int first = word.codePointAt(0);
        String from = new String(Character.toChars(first));
        String to = new String(Character.toChars(first + 1));
        int length = word.codePointCount(0, word.length());
        int limit = length <= 4 ? 1 : MAX_DISTANCE;
        return db.query("SELECT term, doc FROM search_vocab WHERE term >= ? AND term < ? LIMIT " + MAX_SCANNED, ps -> {
            ps.setString(1, from);
            ps.setString(2, to);
            String best = null;
            int bestDistance = limit + 1;
            long bestDocs = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String term = rs.getString(1);
                    if (Math.abs(term.length() - word.length()) > limit) {
                        continue;
                    }
                    int d = distance(word, term, limit);
                    long docs = rs.getLong(2);
                    if (d < bestDistance || (d == bestDistance && docs > bestDocs)) {
                        best = term;
                        bestDistance = d;
                        bestDocs = docs;
                    }
                }
            }
            return Optional.ofNullable(best);
        });
    }

    /**
     * Edits (insertions, deletions, substitutions, swaps of neighbours) from {@code a} to
     * {@code b}, or {@code limit + 1} when more than {@code limit}.
     */
    static int distance(String a, String b, int limit) {
        int n = a.length();
        int m = b.length();
        if (Math.abs(n - m) > limit) {
            return limit + 1;
        }
        int[] before = new int[m + 1];
        int[] prev = new int[m + 1];
        int[] cur = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, before[j - 2] + 1);
                }
                cur[j] = v;
                rowMin = Math.min(rowMin, v);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] t = before;
            before = prev;
            prev = cur;
            cur = t;
        }
        return Math.min(prev[m], limit + 1);
    }
}
