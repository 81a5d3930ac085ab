package org.offlinecommons.store;

import com.ibm.icu.text.BreakIterator;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Titles that start the way a person is typing, for the search box's suggestions (like Kiwix's
 * {@code /suggest}): the items whose title has a word starting with each typed word, best first.
 *
 * <p>Asked on every pause in typing, so it must cost about a millisecond at any size: it reads
 * only the index of titles ({@code search_title}, which keeps prefix indexes for this), with
 * each word a quoted prefix term (typed text is never FTS5 syntax), and ranks at most
 * {@value #CANDIDATES} matches, however many there are.
 * A word this short matches most of a big pack; the next letter narrows it to a set ranked whole.
 */
public final class TitleSuggestions {

    public static final int DEFAULT_LIMIT = 8;
    public static final int MAX_LIMIT = 20;
    /** Typed text beyond this is not a title being looked for, and is not kept as a cache key. */
    public static final int MAX_QUERY_CHARS = 200;
    private static final int MAX_WORDS = 8;
    private static final int MAX_WORD_CHARS = 64;
    /**
     * Matches ranked per question, taken in index order: bounds the work of a one- or two-letter
     * word that matches most titles of a million-item pack.
     */
    static final int CANDIDATES = 500;
    /** Prefixes typed by a class at once repeat; an answer is a few hundred bytes. */
    private static final int CACHED_ANSWERS = 2048;
    /** Words as the unicode61 tokenizer sees them, as in {@link SearchIndex}. */
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}\\p{M}]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    /** One title to offer: the item, to open it, and its pack, to tell titles of different packs apart. */
    public record Suggestion(String packId, String packTitle, Item item) {
    }

    /** By the typed words, not the query: a last letter left out of the query still ranks. */
    private record Key(String words, String packId, int limit) {
    }

    private record Candidate(long id, String packId, String title, boolean startsAsTyped, int words, int length) {
    }

    private static final Comparator<Candidate> BEST_FIRST = Comparator
            .comparing((Candidate c) -> !c.startsAsTyped())
            .thenComparingInt(Candidate::words)
            .thenComparingInt(Candidate::length)
            .thenComparingLong(Candidate::id);

    private final Database db;
    private final SearchGate gate;
    private final GenerationCache<Key, List<Suggestion>> recent = new GenerationCache<>(CACHED_ANSWERS);
    private volatile Boolean marksInWords;

    /** @param gate the admission searches go through: a flood of suggestions must not starve pages either */
    TitleSuggestions(Database db, SearchGate gate) {
        this.db = db;
        this.gate = gate;
    }

    /**
     * Up to {@code limit} titles of published items (of pack {@code packId}, or of all packs
     * when null) with words starting with the words of {@code typed}, best first: titles that
     * start as typed, then titles of fewer words, then shorter ones. Nothing for text without
     * words or of a single letter.
     *
     * @throws SearchBusyException when as many searches as allowed run already
     */
    public List<Suggestion> suggest(String typed, String packId, int limit) {
        List<String> words = typedWords(typed == null ? "" : typed, marksInWords());
        int lim = Math.max(1, Math.min(MAX_LIMIT, limit));
        String match = toMatchExpression(words);
        if (match.isEmpty()) {
            return List.of();
        }
        // Read before the query, so an answer can only be older than its generation says.
        long generation = db.generation();
        Key key = new Key(String.join(" ", words), packId, lim);
        List<Suggestion> known = recent.get(key, generation);
        if (known != null) {
            return known;
        }
        return gate.run(() -> {
            long current = db.generation();
            List<Suggestion> ready = recent.get(key, current);
            if (ready != null) {
                return ready;
            }
            List<Suggestion> answer = compute(match, words, packId, lim);
            recent.put(key, current, answer);
            return answer;
        });
    }

    /**
     * Whether the index's tokenizer keeps marks inside words (a {@code categories} option with
     * {@code M*}) or cuts words at them (unicode61's default). Read once: a library's schema is
     * migrated when it opens, before anything is asked.
     */
    private boolean marksInWords() {
        Boolean known = marksInWords;
        if (known == null) {
            known = db.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'search'", ps -> {
                try (var rs = ps.executeQuery()) {
                    return rs.next() && rs.getString(1).contains("M*");
                }
            });
            marksInWords = known;
        }
        return known;
    }

    private List<Suggestion> compute(String match, List<String> typedWords, String packId, int lim) {
        // Titles are compared with the typed words in Java folded alike on both sides.
        List<String> words = typedWords.stream().map(TitleSuggestions::fold).toList();
        // No ORDER BY: SQLite would rank every match of a short word; the first CANDIDATES in
        // index order are ranked here instead. The join keeps staged (unpublished) rows out. Only
        // what ranking needs is read for them: each column read costs a call into SQLite.
        String sql = "SELECT i.id, i.pack_id, i.title FROM search_title JOIN item i ON i.id = search_title.rowid"
                + " WHERE search_title MATCH ?"
                + (packId == null ? "" : " AND i.pack_id = ?") + " LIMIT " + CANDIDATES;
        List<Candidate> candidates = db.query(sql, ps -> {
            ps.setString(1, match);
            if (packId != null) {
                ps.setString(2, packId);
            }
            // A letter typed last is not in the query (see toMatchExpression): it is looked for here.
            String last = typedWords.get(typedWords.size() - 1);
            String letter = isQueried(last, true) ? null : fold(last);
            List<Candidate> found = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    String title = rs.getString(3);
                    if (letter == null || hasWordStartingWith(title, letter)) {
                        found.add(new Candidate(rs.getLong(1), rs.getString(2), title, startsAsTyped(title, words),
                                wordCount(title), title.length()));
                    }
                }
            }
            return found;
        });
        candidates.sort(BEST_FIRST);
        List<Suggestion> best = new ArrayList<>(lim);
        // A pack may hold several items of one title (a page and its printable copy): offer one.
        Set<String> offered = new HashSet<>();
        for (Candidate c : candidates) {
            if (offered.add(c.packId() + '\n' + fold(c.title()))) {
                // Gone only if its pack was deleted since: then it is not offered.
                suggestion(c.id()).ifPresent(best::add);
                if (best.size() == lim) {
                    break;
                }
            }
        }
        return List.copyOf(best);
    }

    private java.util.Optional<Suggestion> suggestion(long itemId) {
        return db.query("""
                SELECT i.pack_id, p.title, i.position, i.path, i.entry, i.title, i.kind, i.timestamp
                FROM item i JOIN pack p ON p.id = i.pack_id WHERE i.id = ?""", ps -> {
            ps.setLong(1, itemId);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                int entry = rs.getInt(5);
                Integer entryOrNull = rs.wasNull() ? null : entry;
                Item item = new Item(rs.getInt(3), rs.getString(4), entryOrNull, rs.getString(6), rs.getString(7),
                        rs.getString(8));
                return java.util.Optional.of(new Suggestion(rs.getString(1), rs.getString(2), item));
            }
        });
    }

    /**
     * The words of what was typed, capped in number and length, as the index's tokenizer will
     * see each as one word: in lower case, and without marks when the tokenizer takes marks for
     * separators (a quoted word it cuts in two would be a phrase, which this index cannot match).
     * Where it keeps marks in words, they are kept: Hindi's vowel signs are marks.
     */
    static List<String> typedWords(String typed, boolean marksInWords) {
        String text = typed.length() > MAX_QUERY_CHARS ? typed.substring(0, MAX_QUERY_CHARS) : typed;
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find() && words.size() < MAX_WORDS) {
            String word = m.group();
            if (word.length() > MAX_WORD_CHARS) {
                word = word.substring(0, MAX_WORD_CHARS);
            }
            String folded = fold(word);
            if (!folded.isEmpty()) {
                words.add(marksInWords ? word.toLowerCase(Locale.ROOT) : folded);
            }
        }
        return words;
    }

    /**
     * Every word a prefix, in the index of titles; "" when there is nothing to look for. Words
     * hold no double quote, so each quoted word is one plain term whatever it holds. A single
     * letter is no prefix: FTS5 would merge the lists of every word starting with it (tens of
     * milliseconds in a big pack), so it is a whole word ("World War I"), or, being typed last,
     * it only ranks the titles the other words found ("solar s": "Solar system" first).
     *
     * <p>A run of Chinese, Japanese or Thai letters is one word to the unicode61 tokenizer but
     * may have been indexed cut into words with spaces, so such a word matches either way: as
     * typed, or cut into words the same way (ICU's dictionary).
     */
    static String toMatchExpression(List<String> words) {
        List<String> terms = new ArrayList<>();
        for (int w = 0; w < words.size(); w++) {
            String word = words.get(w);
            if (!isQueried(word, w == words.size() - 1)) {
                continue;
            }
            if (needsWordBreaking(word)) {
                List<String> pieces = dictionaryWords(word);
                if (pieces.size() < 2) {
                    terms.add(prefix(word));
                } else {
                    terms.add("(" + prefix(word) + " OR (" + String.join(" ", pieces.stream().map(TitleSuggestions::prefix)
                            .toList()) + "))");
                }
            } else if (letters(word) > 1) {
                terms.add(prefix(word));
            } else {
                terms.add('"' + word + '"');
            }
        }
        return String.join(" ", terms);
    }

    /** Whether the word is in the index query: all but a single letter typed last. */
    private static boolean isQueried(String word, boolean last) {
        return !last || needsWordBreaking(word) || letters(word) > 1;
    }

    /** Letters without their marks: "é" typed as e and an accent is one. */
    private static int letters(String word) {
        String folded = fold(word);
        return folded.codePointCount(0, folded.length());
    }

    /** Whether a word of the title starts with {@code folded}, as a prefix term would find. */
    static boolean hasWordStartingWith(String title, String folded) {
        for (int at = nextWord(title, 0); at < title.length(); at = nextWord(title, wordEnd(title, at))) {
            if (startsWithFolded(title, at, wordEnd(title, at), folded)) {
                return true;
            }
        }
        return false;
    }

    private static String prefix(String word) {
        return '"' + word + "\"*";
    }

    /** Whether the word holds letters of a script written without spaces between words. */
    static boolean needsWordBreaking(String word) {
        return word.codePoints().anyMatch(cp -> switch (Character.UnicodeScript.of(cp)) {
            case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR -> true;
            default -> false;
        });
    }

    private static List<String> dictionaryWords(String run) {
        BreakIterator words = BreakIterator.getWordInstance(Locale.ROOT);
        words.setText(run);
        List<String> pieces = new ArrayList<>();
        int start = words.first();
        for (int end = words.next(); end != BreakIterator.DONE; start = end, end = words.next()) {
            if (words.getRuleStatus() != BreakIterator.WORD_NONE) {
                pieces.add(run.substring(start, end));
            }
        }
        return pieces;
    }

    /** Whether the title's first words start with the typed words, in order. */
    static boolean startsAsTyped(String title, List<String> words) {
        int at = 0;
        for (String word : words) {
            int start = nextWord(title, at);
            if (start == title.length()) {
                return false;
            }
            int end = wordEnd(title, start);
            if (!startsWithFolded(title, start, end, word)) {
                return false;
            }
            at = end;
        }
        return true;
    }

    /** How many words a title has: titles of fewer words come first, as the index's rank would have them. */
    static int wordCount(String title) {
        int n = 0;
        for (int at = nextWord(title, 0); at < title.length(); at = nextWord(title, wordEnd(title, at))) {
            n++;
        }
        return n;
    }

    /**
     * Whether {@code title[start, end)}, folded, starts with {@code folded}. Run on every
     * candidate: ASCII words, most of them, are compared in place, without the Unicode folding.
     */
    private static boolean startsWithFolded(String title, int start, int end, String folded) {
        boolean ascii = true;
        for (int i = start; i < end && ascii; i++) {
            ascii = title.charAt(i) < 0x80;
        }
        if (!ascii) {
            return fold(title.substring(start, end)).startsWith(folded);
        }
        if (end - start < folded.length()) {
            return false;
        }
        for (int i = 0; i < folded.length(); i++) {
            char ch = title.charAt(start + i);
            if (ch >= 'A' && ch <= 'Z') {
                ch = (char) (ch + ('a' - 'A'));
            }
            if (ch != folded.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int nextWord(String text, int from) {
        int i = from;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (isWordCodePoint(cp)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return text.length();
    }

    private static int wordEnd(String text, int from) {
        int i = from;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (!isWordCodePoint(cp)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** {@code [\p{L}\p{N}\p{M}]}, the {@link #WORD} pattern's class. */
    private static boolean isWordCodePoint(int cp) {
        if (cp < 0x80) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        }
        if (Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER || type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    /** Lower case without diacritics: what unicode61 with remove_diacritics compares. */
    static String fold(String word) {
        String base = MARKS.matcher(Normalizer.normalize(word, Normalizer.Form.NFD)).replaceAll("");
        // Composed again: Hangul syllables decompose into letters, not marks, and are indexed whole.
        return Normalizer.normalize(base, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }
}
