package org.offlinecommons.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full-text search over item titles and text (SQLite FTS5, bm25 ranking).
 *
 * <p>People type words, not FTS5 syntax. A query is cut into words and each becomes a quoted
 * prefix term, so quotes, {@code *}, {@code -}, {@code NEAR} or stray parentheses are just text
 * and can never make the query fail; "asyn" finds "asyncio".
 */
public final class SearchIndex {

    /** Marks the start of a matched word in snippets; never present in indexed text. */
    public static final char MARK_START = '\u0002';
    /** Marks the end of a matched word in snippets. */
    public static final char MARK_END = '\u0003';

    public static final int MAX_LIMIT = 100;
    private static final int MAX_TERMS = 12;
    private static final int MAX_TERM_LENGTH = 64;
    /** Words as the unicode61 tokenizer sees them: letters, digits and marks. */
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}\\p{M}]+");
    private static final Pattern CONTROL = Pattern.compile("[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]");
    /** Words in a snippet, as FTS5's snippet() would give. */
    private static final int SNIPPET_WORDS = 24;
    /**
     * Words a snippet is looked for in: the first ~100 KB of a long page. Scanning the whole
     * text of long pages was half the CPU of fresh searches on a documentation site; a hit whose
     * words are together only further on gets a snippet with fewer of them highlighted.
     */
    private static final int SNIPPET_SCAN_WORDS = 16 * 1024;
    /** Words shown before the first match, so a snippet does not start on the matched word. */
    private static final int SNIPPET_LEAD = 4;
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    /** Title matches count for more than body matches. */
    private static final String RANK = "bm25(search, 8.0, 1.0)";

    /**
     * Recent answers. Pupils in a class search for the same few words, and an answer costs a few
     * milliseconds of a small CPU; 20 hits with snippets are a few KB, so this holds a few MB.
     */
    private static final int CACHED_ANSWERS = 1024;

    private final Database db;
    private final GenerationCache<AnswerKey, SearchResults> recent = new GenerationCache<>(CACHED_ANSWERS);
    private final SnippetTexts texts;
    /** Bounds the searches computed or waiting at once, so that a flood of them cannot starve pages. */
    private final SearchGate gate;

    public SearchIndex(Database db) {
        this(db, new Catalog(db), new ChunkStore(db));
    }

    SearchIndex(Database db, Catalog catalog, ChunkStore chunks) {
        this.db = db;
        this.texts = new SnippetTexts(db, catalog, chunks);
        this.gate = SearchGate.forReaders(db.readerCount());
    }

    /**
     * Searches all packs, or one when {@code packId} is not null. A query with no words gives no
     * results rather than an error. Answers are reused until anything in the library changes.
     */
    public SearchResults search(String query, String packId, int limit, int offset) {
        return search(query, packId, limit, offset, true);
    }

    /** The same, always computed afresh (and then reused): what a client asking for no-cache gets. */
    public SearchResults searchFresh(String query, String packId, int limit, int offset) {
        return search(query, packId, limit, offset, false);
    }

    /**
     * Whether {@link #search} would answer this at once, from an answer at hand or because the
     * query holds no words: such a search needs no turn at the gate.
     */
    public boolean answersAtOnce(String query, String packId, int limit, int offset) {
        String q = query == null ? "" : query;
        if (toMatchExpression(q).isEmpty()) {
            return true;
        }
        AnswerKey key = new AnswerKey(q, packId, Math.max(1, Math.min(MAX_LIMIT, limit)), Math.max(0, offset));
        return recent.get(key, db.generation()) != null;
    }

    private SearchResults search(String query, String packId, int limit, int offset, boolean reuse) {
        String q = query == null ? "" : query;
        String match = toMatchExpression(q);
        int lim = Math.max(1, Math.min(MAX_LIMIT, limit));
        int off = Math.max(0, offset);
        if (match.isEmpty()) {
            return new SearchResults(q, 0, off, List.of());
        }
        // Read before the search, so an answer can only be older than its generation says.
        long generation = db.generation();
        AnswerKey key = new AnswerKey(q, packId, lim, off);
        SearchResults reused = reuse ? recent.get(key, generation) : null;
        if (reused != null) {
            return reused;
        }
        // Waiting for a turn also lets a pupil asking what the class just asked get the answer a
        // neighbour was computing.
        return gate.run(() -> {
            // The library may have changed while this search waited.
            long current = db.generation();
            SearchResults ready = reuse ? recent.get(key, current) : null;
            return ready != null ? ready : compute(q, match, packId, lim, off, key, current);
        });
    }

    /** The admission to searches, shared by every caller (pages, API, command line). */
    public SearchGate gate() {
        return gate;
    }

    private SearchResults compute(String q, String match, String packId, int lim, int off, AnswerKey key,
                                  long generation) {
        String packFilter = packId == null ? "" : " AND i.pack_id = ?";
        Found found = db.read(c -> {
            int total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM search JOIN item i ON i.id = search.rowid"
                    + " WHERE search MATCH ?" + packFilter)) {
                ps.setString(1, match);
                if (packId != null) {
                    ps.setString(2, packId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    total = rs.getInt(1);
                }
            }
            List<SearchHit> hits = new ArrayList<>();
            List<Long> rows = new ArrayList<>();
            if (total > off) {
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT i.pack_id, p.title, i.position, i.path, i.entry, i.title, i.kind, i.timestamp, i.id
                        FROM search
                        JOIN item i ON i.id = search.rowid
                        JOIN pack p ON p.id = i.pack_id
                        WHERE search MATCH ?""" + packFilter + " ORDER BY " + RANK + " LIMIT ? OFFSET ?")) {
                    int n = 1;
                    ps.setString(n++, match);
                    if (packId != null) {
                        ps.setString(n++, packId);
                    }
                    ps.setInt(n++, lim);
                    ps.setInt(n, off);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            int entry = rs.getInt(5);
                            Integer entryOrNull = rs.wasNull() ? null : entry;
                            Item item = new Item(rs.getInt(3), rs.getString(4), entryOrNull, rs.getString(6),
                                    rs.getString(7), rs.getString(8));
                            hits.add(new SearchHit(rs.getString(1), rs.getString(2), item, ""));
                            rows.add(rs.getLong(9));
                        }
                    }
                }
            }
            return new Found(total, hits, rows);
        });
        List<SearchHit> hits = found.hits();
        // Snippets are cut here, not by FTS5's snippet(): its cost grows with the square of a
        // word's occurrences, and "the" in a 500-page book took a second per query. The text is
        // read from each hit's stored file after the reader went back to the pool (the index
        // keeps no copy of it), which reading the file borrows again.
        List<String> terms = foldedTerms(q);
        for (int h = 0; h < hits.size(); h++) {
            SearchHit hit = hits.get(h);
            hits.set(h, new SearchHit(hit.packId(), hit.packTitle(), hit.item(),
                    snippet(texts.text(found.rows().get(h), hit.packId(), hit.item()), terms)));
        }
        SearchResults answer = new SearchResults(q, found.total(), off, hits);
        recent.put(key, generation, answer);
        return answer;
    }

    /** What the index answered: how many match, and the hits of this page, without snippets yet. */
    private record Found(int total, List<SearchHit> hits, List<Long> rows) {
    }

    private record AnswerKey(String query, String packId, int limit, int offset) {
    }

    /** Text for the index: an item's title and the words it is found by. */
    public record Text(String title, String body) {
    }

    /**
     * Writes rows of the full-text index for items being prepared under {@code batch}, and
     * returns their row ids, which the items must then be published with
     * ({@link Catalog#publish}). Until then the rows are invisible (search joins item); rows of
     * a batch never published are removed by {@link #discard} or by a sweep. Indexing here, in
     * short transactions while a pack is staged, keeps the publish transaction short.
     */
    public long[] stage(String batch, List<Text> texts) {
        if (texts.isEmpty()) {
            return new long[0];
        }
        long now = System.currentTimeMillis();
        // Long texts are also kept compressed, outside the write lock (see SnippetTexts).
        byte[][] longTexts = new byte[texts.size()][];
        for (int i = 0; i < longTexts.length; i++) {
            String body = texts.get(i).body();
            if (body != null && body.length() >= SnippetTexts.KEPT_TEXT_CHARS) {
                longTexts[i] = SnippetTexts.pack(clean(body));
            }
        }
        return db.write(c -> {
            long first;
            // Above every row in use, staged or published, and every item id: a row id is the id
            // of the item published with it.
            try (PreparedStatement ps = c.prepareStatement("SELECT max(coalesce((SELECT max(rowid) FROM search), 0),"
                    + " coalesce((SELECT max(row) FROM staged_search), 0), coalesce((SELECT max(id) FROM item), 0))");
                 ResultSet rs = ps.executeQuery()) {
                first = rs.getLong(1) + 1;
            }
            long[] rows = new long[texts.size()];
            try (PreparedStatement fts = c.prepareStatement("INSERT INTO search(rowid, title, body) VALUES (?, ?, ?)");
                 PreparedStatement staged = c.prepareStatement(
                         "INSERT INTO staged_search(row, batch, created_at) VALUES (?, ?, ?)");
                 PreparedStatement kept = c.prepareStatement("INSERT INTO search_text(row, data) VALUES (?, ?)")) {
                for (int i = 0; i < rows.length; i++) {
                    Text t = texts.get(i);
                    rows[i] = first + i;
                    fts.setLong(1, rows[i]);
                    fts.setString(2, clean(t.title()));
                    fts.setString(3, clean(t.body() == null ? "" : t.body()));
                    fts.executeUpdate();
                    staged.setLong(1, rows[i]);
                    staged.setString(2, batch);
                    staged.setLong(3, now);
                    staged.addBatch();
                    if (longTexts[i] != null) {
                        kept.setLong(1, rows[i]);
                        kept.setBytes(2, longTexts[i]);
                        kept.executeUpdate();
                    }
                }
                staged.executeBatch();
            }
            return rows;
        });
    }

    /** Removes the index rows staged under {@code batch} that no item was published with. */
    public void discard(String batch) {
        db.write(c -> {
            removeStaged(c, "batch = ?", ps -> ps.setString(1, batch));
            return null;
        });
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws java.sql.SQLException;
    }

    /** Deletes staged rows matching {@code where} (on staged_search) with their index rows. */
    static int removeStaged(java.sql.Connection c, String where, Binder binder) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM search WHERE rowid IN"
                + " (SELECT row FROM staged_search WHERE " + where + ")")) {
            binder.bind(ps);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM search_text WHERE row IN"
                + " (SELECT row FROM staged_search WHERE " + where + ")")) {
            binder.bind(ps);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM staged_search WHERE " + where)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    /** The query's words as the index compares them: lower case, without diacritics. */
    static List<String> foldedTerms(String query) {
        List<String> terms = new ArrayList<>();
        Matcher m = WORD.matcher(query);
        while (m.find() && terms.size() < MAX_TERMS) {
            String word = m.group();
            String folded = fold(word.length() > MAX_TERM_LENGTH ? word.substring(0, MAX_TERM_LENGTH) : word);
            if (!folded.isEmpty() && !terms.contains(folded)) {
                terms.add(folded);
            }
        }
        return terms;
    }

    /** What unicode61 with remove_diacritics does to a word, near enough to find it again. */
    static String fold(String word) {
        boolean ascii = true;
        for (int i = 0; i < word.length() && ascii; i++) {
            ascii = word.charAt(i) < 0x80;
        }
        String base = ascii ? word : MARKS.matcher(Normalizer.normalize(word, Normalizer.Form.NFD)).replaceAll("");
        return base.toLowerCase(Locale.ROOT);
    }

    /**
     * About {@value #SNIPPET_WORDS} words of {@code text} where the most different query words
     * are, each match between {@link #MARK_START} and {@link #MARK_END}, with '…' where text was
     * left out. One pass over at most {@value #SNIPPET_SCAN_WORDS} words of the text.
     */
    static String snippet(String text, List<String> terms) {
        // Each word as three ints: start, end, matched term or -1. A scan by hand rather than
        // the WORD pattern, and ASCII words compared in place: this loop is most of the CPU of
        // a fresh search over long pages (docs/performance.md, "Storage").
        int[] words = new int[3 * 64];
        int n = 0;
        int[] inWindow = new int[terms.size()];
        int distinct = 0;
        int best = -1;
        int bestStart = 0;
        int pos = 0;
        int length = text.length();
        boolean more = false;
        while (true) {
            int wordStart = nextWordStart(text, pos);
            if (wordStart >= length) {
                break;
            }
            int wordEnd = wordEnd(text, wordStart);
            pos = wordEnd;
            if ((best == terms.size() && n >= bestStart + SNIPPET_WORDS) || n >= SNIPPET_SCAN_WORDS) {
                more = true; // every query word is in it, no later window can be better; or far enough
                break;
            }
            int term = matchingTerm(text, wordStart, wordEnd, terms);
            if (3 * n + 3 > words.length) {
                words = java.util.Arrays.copyOf(words, words.length * 2);
            }
            words[3 * n] = wordStart;
            words[3 * n + 1] = wordEnd;
            words[3 * n + 2] = term;
            n++;
            if (term >= 0 && inWindow[term]++ == 0) {
                distinct++;
            }
            if (n > SNIPPET_WORDS) {
                int leaving = words[3 * (n - 1 - SNIPPET_WORDS) + 2];
                if (leaving >= 0 && --inWindow[leaving] == 0) {
                    distinct--;
                }
            }
            if (distinct > best) {
                best = distinct;
                // The shortest run of words ending here that still holds all of them.
                int[] counts = inWindow.clone();
                int from = Math.max(0, n - SNIPPET_WORDS);
                while (from < n - 1) {
                    int t = words[3 * from + 2];
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
        }
        if (n == 0) {
            return "";
        }
        int start = Math.max(0, bestStart - SNIPPET_LEAD);
        int end = Math.min(n, start + SNIPPET_WORDS);
        more |= end < n;
        StringBuilder out = new StringBuilder();
        if (start > 0) {
            out.append('…');
        }
        int at = words[3 * start];
        for (int w = start; w < end; w++) {
            int wordStart = words[3 * w];
            int wordEnd = words[3 * w + 1];
            out.append(text, at, wordStart);
            if (words[3 * w + 2] >= 0) {
                out.append(MARK_START).append(text, wordStart, wordEnd).append(MARK_END);
            } else {
                out.append(text, wordStart, wordEnd);
            }
            at = wordEnd;
        }
        if (more) {
            out.append('…');
        }
        return out.toString();
    }

    /** Where the next word starts at or after {@code from}, or the text's length. */
    private static int nextWordStart(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                if (isAsciiWordChar(ch)) {
                    return i;
                }
                i++;
            } else {
                int cp = text.codePointAt(i);
                if (isWordCodePoint(cp)) {
                    return i;
                }
                i += Character.charCount(cp);
            }
        }
        return i;
    }

    private static int wordEnd(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                if (!isAsciiWordChar(ch)) {
                    return i;
                }
                i++;
            } else {
                int cp = text.codePointAt(i);
                if (!isWordCodePoint(cp)) {
                    return i;
                }
                i += Character.charCount(cp);
            }
        }
        return i;
    }

    private static boolean isAsciiWordChar(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    }

    /** {@code [\p{L}\p{N}\p{M}]}, the {@link #WORD} pattern's class. */
    private static boolean isWordCodePoint(int cp) {
        if (Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER || type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    /** The first query term the word {@code text[start, end)} begins with, once folded; -1 if none. */
    private static int matchingTerm(String text, int start, int end, List<String> terms) {
        boolean ascii = true;
        for (int i = start; i < end && ascii; i++) {
            ascii = text.charAt(i) < 0x80;
        }
        if (!ascii) {
            return matchingTerm(fold(text.substring(start, end)), terms);
        }
        for (int t = 0; t < terms.size(); t++) {
            String term = terms.get(t);
            if (term.length() <= end - start && startsWithLowered(text, start, term)) {
                return t;
            }
        }
        return -1;
    }

    private static boolean startsWithLowered(String text, int start, String term) {
        for (int i = 0; i < term.length(); i++) {
            char ch = text.charAt(start + i);
            if (ch >= 'A' && ch <= 'Z') {
                ch = (char) (ch + ('a' - 'A'));
            }
            if (ch != term.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int matchingTerm(String folded, List<String> terms) {
        for (int t = 0; t < terms.size(); t++) {
            if (folded.startsWith(terms.get(t))) {
                return t;
            }
        }
        return -1;
    }

    /** Turns what a person typed into a safe FTS5 expression, or "" if it holds no words. */
    static String toMatchExpression(String query) {
        StringBuilder out = new StringBuilder();
        Matcher m = WORD.matcher(query);
        int terms = 0;
        while (m.find() && terms < MAX_TERMS) {
            String word = m.group();
            if (word.length() > MAX_TERM_LENGTH) {
                word = word.substring(0, MAX_TERM_LENGTH);
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            // Words hold no double quotes, so quoting makes each a plain token; '*' makes it a prefix.
            out.append('"').append(word).append("\"*");
            terms++;
        }
        return out.toString();
    }

    /** Removes the characters used as snippet markers (and other controls) from text to index. */
    static String clean(String text) {
        // Runs on the import's writer thread for every document: a plain scan first, since
        // almost no text holds such characters and a regex pass over 80 MB took ~1 s there.
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
                return CONTROL.matcher(text).replaceAll(" ");
            }
        }
        return text;
    }
}
