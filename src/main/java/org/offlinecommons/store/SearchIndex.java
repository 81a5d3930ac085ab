package org.offlinecommons.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Full-text search over item titles, headings and text (SQLite FTS5, bm25 ranking).
 *
 * <p>Text and queries are analysed alike in Java ({@link SearchAnalyzer}: folding, stems by the
 * pack's language, words of Chinese, Japanese and Thai found); a query is made safe and
 * expanded by {@link SearchQuery}. Titles weigh most, then headings, then the body; pages that
 * are mostly lists of links (indexes) keep their text in a column of their own that weighs
 * little, so that an index page listing a word does not outrank the page about it. Phrases in
 * quotes are checked in the text of the best candidates; a query that finds nothing gets a
 * "did you mean" from the index's vocabulary ({@link SpellingSuggester}).
 */
public final class SearchIndex {

    /** Marks the start of a matched word in snippets; never present in indexed text. */
    public static final char MARK_START = '\u0002';
    /** Marks the end of a matched word in snippets. */
    public static final char MARK_END = '\u0003';

    public static final int MAX_LIMIT = 100;
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
    /**
     * Title matches count most, then headings, then the first words of the text (search_rank:
     * bm25 scores nothing in the main index, which keeps no positions); see
     * docs/performance.md, "Search engine and ranking". bm25 saturates a word's weighted count
     * over all columns, so a page with the words only in its headings and text could tie one
     * with them in its title: the title's own score, added at a fifth, breaks that tie
     * (docs/performance.md, "Relevance").
     */
    private static final String RANK = "bm25(search_rank, 16.0, 2.0, 1.0) + 0.2 * bm25(search_rank, 1.0, 0.0, 0.0)";
    /**
     * A listing's score (from its title and headings only: its first words are not ranked)
     * counts three quarters: a generated index comes after the pages it lists, but a list a
     * person asks for by its title ("List of rivers") is still found first. bm25 saturates, so
     * a title match is only ~2 x a match in the first words: a quarter lost those.
     */
    private static final double LISTING_WEIGHT = 0.75;
    /**
     * A query with a phrase checks the phrase in the text of at most this many of its best
     * matches (each read again from its stored file): bounded work, and the hits a person looks
     * at. Its total counts those checked.
     */
    static final int PHRASE_CANDIDATES = 200;

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
    private final SpellingSuggester spelling;
    /** The languages of the library's packs, for stems of query words; with the generation read. */
    private volatile Languages languages = new Languages(-1, List.of());

    private record Languages(long generation, List<String> tags) {
    }

    public SearchIndex(Database db) {
        this(db, new Catalog(db), new ChunkStore(db));
    }

    SearchIndex(Database db, Catalog catalog, ChunkStore chunks) {
        this.db = db;
        this.texts = new SnippetTexts(db, catalog, chunks);
        this.gate = SearchGate.forReaders(db.readerCount());
        this.spelling = new SpellingSuggester(db);
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
        if (SearchQuery.parse(q, List.of()).isEmpty()) {
            return true;
        }
        AnswerKey key = new AnswerKey(q, packId, Math.max(1, Math.min(MAX_LIMIT, limit)), Math.max(0, offset));
        return recent.get(key, db.generation()) != null;
    }

    private SearchResults search(String query, String packId, int limit, int offset, boolean reuse) {
        String q = query == null ? "" : query;
        int lim = Math.max(1, Math.min(MAX_LIMIT, limit));
        int off = Math.max(0, offset);
        if (SearchQuery.parse(q, List.of()).isEmpty()) {
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
            return ready != null ? ready : compute(q, packId, lim, off, key, current);
        });
    }

    /** The admission to searches, shared by every caller (pages, API, command line). */
    public SearchGate gate() {
        return gate;
    }

    private SearchResults compute(String q, String packId, int lim, int off, AnswerKey key, long generation) {
        List<String> languages = languages(packId, generation);
        SearchQuery query = SearchQuery.parse(q, languages);
        Found found = find(query, packId, lim, off);
        if (found.total() == 0) {
            // Words are whole words; found nowhere whole, they were likely typed unfinished
            // ("pho" for "photosynthesis"), so they are tried as the prefixes they are, at the
            // cost of merging the lists of every word they begin (docs/performance.md).
            SearchQuery prefixes = SearchQuery.parseAllPrefixes(q, languages);
            if (!prefixes.match().equals(query.match())) {
                query = prefixes;
                found = find(prefixes, packId, lim, off);
            }
        }
        List<SearchHit> hits = found.hits();
        // Snippets are cut here, not by FTS5's snippet(): its cost grows with the square of a
        // word's occurrences, and "the" in a 500-page book took a second per query. The text is
        // read from each hit's stored file after the reader went back to the pool (the index
        // keeps no copy of it), which reading the file borrows again.
        List<String> terms = query.terms();
        for (int h = 0; h < hits.size(); h++) {
            SearchHit hit = hits.get(h);
            hits.set(h, new SearchHit(hit.packId(), hit.packTitle(), hit.item(),
                    snippet(texts.text(found.rows().get(h), hit.packId(), hit.item()), terms)));
        }
        String suggestion = null;
        if (found.total() == 0 && off == 0) {
            suggestion = spelling.suggest(query, q, corrected -> {
                SearchQuery other = SearchQuery.parse(corrected, languages);
                return !other.isEmpty() && db.read(c -> count(c, other.match(), packId)) > 0;
            }).orElse(null);
        }
        SearchResults answer = new SearchResults(q, found.total(), off, hits, suggestion);
        recent.put(key, generation, answer);
        return answer;
    }

    private Found find(SearchQuery query, String packId, int lim, int off) {
        return query.phrases().isEmpty()
                ? db.read(c -> find(c, query, packId, lim, off))
                : findPhrases(query, packId, lim, off);
    }

    private static String packFilter(String packId) {
        return packId == null ? "" : " AND i.pack_id = ?";
    }

    private static int count(java.sql.Connection c, String match, String packId) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM search JOIN item i ON i.id = search.rowid"
                + " WHERE search MATCH ?" + packFilter(packId))) {
            ps.setString(1, match);
            if (packId != null) {
                ps.setString(2, packId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.getInt(1);
            }
        }
    }

    private static Found find(java.sql.Connection c, SearchQuery query, String packId, int lim, int off)
            throws java.sql.SQLException {
        List<SearchHit> hits = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        // The ranking sees every match anyway, so it counts them too: matching twice cost a
        // fifth of the query (docs/performance.md, "Smaller search index"). Only a page past the
        // last hit needs a count of its own.
        int total = ranked(c, query, packId, lim, off, hits, rows);
        if (hits.isEmpty() && off > 0) {
            total = count(c, query.match(), packId);
        }
        return new Found(total, hits, rows);
    }

    /**
     * The hits ranked {@code off} to {@code off + lim} (without snippets), and their rows; returns
     * how many hits there are in all, or 0 when there are none from {@code off} on.
     */
    private static int ranked(java.sql.Connection c, SearchQuery query, String packId, int lim, int off,
                              List<SearchHit> hits, List<Long> rows) throws java.sql.SQLException {
        // bm25 costs far more than matching, and the ranking query (its words ORed, in titles,
        // headings and first words) matches many more items than the hits: so only the hits are
        // scored. The "+" keeps SQLite from looking each hit up in the index one by one, which
        // would make bm25 count every word's items again for each. Only the page of hits asked
        // for is looked up in the item table: a lookup there is a read of a large table, and
        // the hits can be thousands (docs/performance.md, "Only the hits are ranked"). Rows
        // staged by an import still running have no item yet and are no hits; searching one
        // pack needs each hit's item anyway.
        String hitRows = packId == null
                ? "SELECT rowid AS row FROM search WHERE search MATCH ?2"
                        + " AND rowid NOT IN (SELECT row FROM staged_search)"
                : "SELECT search.rowid AS row FROM search JOIN item i ON i.id = search.rowid"
                        + " WHERE search MATCH ?2 AND i.pack_id = ?3";
        try (PreparedStatement ps = c.prepareStatement(
                "WITH hits AS MATERIALIZED (" + hitRows + "),"
                + " ranks AS MATERIALIZED (SELECT rowid AS row, " + RANK + " AS score FROM search_rank"
                + " WHERE search_rank MATCH ?1 AND +rowid IN (SELECT row FROM hits)),"
                + " page AS MATERIALIZED (SELECT h.row AS row, coalesce(r.score, 0.0)"
                + " * (CASE WHEN h.row IN (SELECT row FROM search_listing) THEN " + LISTING_WEIGHT
                + " ELSE 1.0 END) AS score, count(*) OVER () AS total"
                + " FROM hits h LEFT JOIN ranks r ON r.row = h.row ORDER BY score, row LIMIT ?4 OFFSET ?5)"
                + """
                SELECT i.pack_id, p.title, i.position, i.path, i.entry, i.title, i.kind, i.timestamp, i.id,
                  page.total
                FROM page
                JOIN item i ON i.id = page.row
                JOIN pack p ON p.id = i.pack_id
                ORDER BY page.score, page.row""")) {
            ps.setString(1, query.rank());
            ps.setString(2, query.match());
            if (packId != null) {
                ps.setString(3, packId);
            }
            ps.setInt(4, lim);
            ps.setInt(5, off);
            int total = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int entry = rs.getInt(5);
                    Integer entryOrNull = rs.wasNull() ? null : entry;
                    Item item = new Item(rs.getInt(3), rs.getString(4), entryOrNull, rs.getString(6),
                            rs.getString(7), rs.getString(8));
                    hits.add(new SearchHit(rs.getString(1), rs.getString(2), item, ""));
                    rows.add(rs.getLong(9));
                    total = rs.getInt(10);
                }
            }
            return total;
        }
    }

    /**
     * A query with phrases: the index finds the items holding all the words (it keeps no
     * positions), and the best {@value #PHRASE_CANDIDATES} of them are kept if each phrase
     * stands in their title or text.
     */
    private Found findPhrases(SearchQuery query, String packId, int lim, int off) {
        List<SearchHit> candidates = new ArrayList<>();
        List<Long> candidateRows = new ArrayList<>();
        db.read(c -> {
            ranked(c, query, packId, PHRASE_CANDIDATES, 0, candidates, candidateRows);
            return null;
        });
        List<SearchHit> hits = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < candidates.size(); i++) {
            SearchHit hit = candidates.get(i);
            String title = SearchQuery.normalized(hit.item().title());
            String text = null;
            boolean all = true;
            for (String phrase : query.phrases()) {
                if (SearchQuery.contains(title, phrase)) {
                    continue;
                }
                if (text == null) {
                    text = SearchQuery.normalized(texts.text(candidateRows.get(i), hit.packId(), hit.item()));
                }
                if (!SearchQuery.contains(text, phrase)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                if (total >= off && hits.size() < lim) {
                    hits.add(hit);
                    rows.add(candidateRows.get(i));
                }
                total++;
            }
        }
        return new Found(total, hits, rows);
    }

    /** The languages of the packs searched: one pack's, or every installed pack's. */
    private List<String> languages(String packId, long generation) {
        Languages known = languages;
        if (known.generation() != generation) {
            List<String> tags = db.query("SELECT DISTINCT language FROM pack", ps -> {
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            });
            known = new Languages(generation, List.copyOf(tags));
            languages = known;
        }
        if (packId == null) {
            return known.tags();
        }
        return db.query("SELECT language FROM pack WHERE id = ?", ps -> {
            ps.setString(1, packId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? List.of(rs.getString(1)) : List.<String>of();
            }
        });
    }

    /** What the index answered: how many match, and the hits of this page, without snippets yet. */
    private record Found(int total, List<SearchHit> hits, List<Long> rows) {
    }

    private record AnswerKey(String query, String packId, int limit, int offset) {
    }

    /**
     * Text for the index: an item's title, its headings, and the words it is found by;
     * {@code listing} says the item is mostly a list of links (an index, a table of contents),
     * whose words count little.
     */
    public record Text(String title, String headings, String body, boolean listing) {
        public Text {
            headings = headings == null ? "" : headings;
            body = body == null ? "" : body;
        }

        public Text(String title, String body) {
            this(title, "", body, false);
        }
    }

    /**
     * Writes rows of the full-text index for items being prepared under {@code batch}, and
     * returns their row ids, which the items must then be published with
     * ({@link Catalog#publish}). Until then the rows are invisible (search joins item); rows of
     * a batch never published are removed by {@link #discard} or by a sweep. Indexing here, in
     * short transactions while a pack is staged, keeps the publish transaction short.
     */
    public long[] stage(String batch, List<Text> texts) {
        return stage(batch, "und", texts);
    }

    /** The same for a pack in {@code language} (a language tag): its words are stemmed in it. */
    public long[] stage(String batch, String language, List<Text> texts) {
        return stage(batch, prepare(language, texts));
    }

    /**
     * Texts analysed for the index and, when long, compressed for snippets: CPU only, no
     * database, so any thread can do it ahead of {@link #stage(String, Prepared)}, which an
     * import's single writer thread runs.
     */
    public static final class Prepared {
        private final Analysed[] analysed;
        private final String[] leads;
        private final byte[][] longTexts;

        private Prepared(Analysed[] analysed, String[] leads, byte[][] longTexts) {
            this.analysed = analysed;
            this.leads = leads;
            this.longTexts = longTexts;
        }

        public int size() {
            return analysed.length;
        }
    }

    /** Analyses {@code texts} in {@code language} for {@link #stage(String, Prepared)}. */
    public static Prepared prepare(String language, List<Text> texts) {
        byte[][] longTexts = new byte[texts.size()][];
        Analysed[] analysed = new Analysed[texts.size()];
        String[] leads = new String[texts.size()];
        for (int i = 0; i < longTexts.length; i++) {
            String body = texts.get(i).body();
            if (body.length() >= SnippetTexts.KEPT_TEXT_CHARS) {
                longTexts[i] = SnippetTexts.pack(clean(body));
            }
            analysed[i] = Analysed.of(texts.get(i), language);
            leads[i] = analysed[i].listing() ? "" : analysed[i].lead();
        }
        return new Prepared(analysed, leads, longTexts);
    }

    /** Stages prepared texts under {@code batch}; returns their rows, in order. */
    public long[] stage(String batch, Prepared prepared) {
        if (prepared.size() == 0) {
            return new long[0];
        }
        long now = System.currentTimeMillis();
        // Analysed and compressed before the write lock (see SnippetTexts).
        Analysed[] analysed = prepared.analysed;
        byte[][] longTexts = prepared.longTexts;
        return db.write(c -> {
            long first;
            // Above every row in use, staged or published, and every item id: a row id is the id
            // of the item published with it.
            try (PreparedStatement ps = c.prepareStatement("SELECT max(coalesce((SELECT max(rowid) FROM search), 0),"
                    + " coalesce((SELECT max(row) FROM staged_search), 0), coalesce((SELECT max(id) FROM item), 0))");
                 ResultSet rs = ps.executeQuery()) {
                first = rs.getLong(1) + 1;
            }
            long[] rows = new long[analysed.length];
            try (RowWriter fts = new RowWriter(c);
                 PreparedStatement staged = c.prepareStatement(
                         "INSERT INTO staged_search(row, batch, created_at) VALUES (?, ?, ?)");
                 PreparedStatement kept = c.prepareStatement("INSERT INTO search_text(row, data) VALUES (?, ?)")) {
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = first + i;
                    fts.write(rows[i], analysed[i], prepared.leads[i]);
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

    /** Items per rebuild transaction; the text of each is read from its stored file first. */
    private static final int REBUILD_BATCH = 256;
    private static final long REBUILD_BATCH_CHARS = 4L << 20;
    private static final int REBUILD_PARALLEL = 16;
    static final String REBUILD_SETTING = "search.rebuild.after";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SearchIndex.class);

    /**
     * Rebuilds the index from the stored files when a migration left it to rebuild (schema 10),
     * going on where it stopped if the program was stopped. Runs when the library is opened,
     * before anything searches it, so that a pack is searchable exactly when it is visible (a
     * rebuild in the background would leave packs visible but not found meanwhile): the time it
     * takes is in docs/performance.md, "Search". Memory stays bounded: a batch of items at a time.
     */
    public void rebuildPending() {
        Optional<String> pending = setting(REBUILD_SETTING);
        if (pending.isEmpty()) {
            return;
        }
        long after = Long.parseLong(pending.get());
        long started = System.nanoTime();
        int done = 0;
        int all = db.query("SELECT count(*) FROM item WHERE id > ?", ps -> {
            ps.setLong(1, after);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.getInt(1);
            }
        });
        if (all > 0) {
            LOG.info("Rebuilding the search index of {} items (a new way of indexing); search is ready when done", all);
        }
        long last = after;
        long lastLog = System.nanoTime();
        while (true) {
            long from = last;
            List<Object[]> batch = db.query("SELECT i.id, i.pack_id, i.position, i.path, i.entry, i.title, i.kind,"
                    + " i.timestamp, p.language FROM item i JOIN pack p ON p.id = i.pack_id WHERE i.id > ?"
                    + " ORDER BY i.id LIMIT ?", ps -> {
                ps.setLong(1, from);
                ps.setInt(2, REBUILD_BATCH);
                List<Object[]> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int entry = rs.getInt(5);
                        Integer entryOrNull = rs.wasNull() ? null : entry;
                        Item item = new Item(rs.getInt(3), rs.getString(4), entryOrNull, rs.getString(6),
                                rs.getString(7), rs.getString(8));
                        out.add(new Object[] {rs.getLong(1), rs.getString(2), item, rs.getString(9)});
                    }
                }
                return out;
            });
            if (batch.isEmpty()) {
                break;
            }
            List<Long> ids = new ArrayList<>();
            List<Analysed> rows = new ArrayList<>();
            long chars = 0;
            // Extracted and analysed on every core, a few items at a time so that the text held
            // stays bounded; written by this thread.
            for (int from0 = 0; from0 < batch.size() && chars < REBUILD_BATCH_CHARS; from0 += REBUILD_PARALLEL) {
                List<Object[]> part = batch.subList(from0, Math.min(batch.size(), from0 + REBUILD_PARALLEL));
                List<Analysed> analysed = part.parallelStream()
                        .map(r -> Analysed.of(texts.indexed((String) r[1], (Item) r[2]), (String) r[3])).toList();
                for (int i = 0; i < part.size(); i++) {
                    ids.add((Long) part.get(i)[0]);
                    rows.add(analysed.get(i));
                    chars += analysed.get(i).body().length();
                }
            }
            long upTo = ids.get(ids.size() - 1);
            db.write(c -> {
                try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM item WHERE id = ?");
                     RowWriter fts = new RowWriter(c);
                     PreparedStatement progress = c.prepareStatement("UPDATE setting SET value = ? WHERE key = ?")) {
                    for (int i = 0; i < ids.size(); i++) {
                        // A pack deleted meanwhile (by the command line beside a server) leaves no row.
                        exists.setLong(1, ids.get(i));
                        try (ResultSet rs = exists.executeQuery()) {
                            if (!rs.next()) {
                                continue;
                            }
                        }
                        fts.write(ids.get(i), rows.get(i));
                    }
                    progress.setString(1, Long.toString(upTo));
                    progress.setString(2, REBUILD_SETTING);
                    progress.executeUpdate();
                }
                return null;
            });
            last = upTo;
            done += ids.size();
            if (System.nanoTime() - lastLog > 10_000_000_000L) {
                LOG.info("Search index: {} of {} items rebuilt", done, all);
                lastLog = System.nanoTime();
            }
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM setting WHERE key = ?")) {
                ps.setString(1, REBUILD_SETTING);
                ps.executeUpdate();
            }
            return null;
        });
        if (all > 0) {
            LOG.info("Search index rebuilt: {} items in {} ms", done, (System.nanoTime() - started) / 1_000_000);
            // The old index's pages are free now; a smaller index should mean a smaller file.
            long freed = db.reclaimSpace();
            if (freed > 0) {
                LOG.info("Search index rebuilt: {} MB given back to the disk", freed >> 20);
            }
        }
    }

    private Optional<String> setting(String key) {
        return db.query("SELECT value FROM setting WHERE key = ?", ps -> {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    /** Index terms of an item's text ranked by bm25 (search_rank): its first words. */
    private static final int LEAD_TERMS = 64;
    private static final int TOPIC_TERMS = 8;
    private static final int TOPIC_MIN_COUNT = 3;
    private static final int TOPIC_SCAN_TERMS = 20_000;

    /** An item's text as the index columns hold it. */
    record Analysed(String title, String headings, String body, boolean listing) {

        static Analysed of(Text t, String language) {
            return new Analysed(SearchAnalyzer.indexText(t.title(), language, true),
                    SearchAnalyzer.indexText(t.headings(), language, false),
                    SearchAnalyzer.indexText(t.body(), language, false), t.listing());
        }

        /**
         * The first {@value #LEAD_TERMS} terms of the body, then the {@value #TOPIC_TERMS} terms it
         * uses most (at least {@value #TOPIC_MIN_COUNT} times each, among its first
         * {@value #TOPIC_SCAN_TERMS}): what the page is about, where the main index keeps no
         * counts for bm25.
         */
        String lead() {
            int at = -1;
            for (int n = 0; n < LEAD_TERMS && at < body.length(); n++) {
                at = body.indexOf(' ', at + 1);
                if (at < 0) {
                    at = body.length();
                }
            }
            StringBuilder out = new StringBuilder(body.substring(0, Math.max(0, at)));
            Map<String, Integer> counts = new HashMap<>();
            int scanned = 0;
            for (int from = 0; from < body.length() && scanned < TOPIC_SCAN_TERMS; scanned++) {
                int end = body.indexOf(' ', from);
                end = end < 0 ? body.length() : end;
                if (end - from > 2) {
                    counts.merge(body.substring(from, end), 1, Integer::sum);
                }
                from = end + 1;
            }
            counts.entrySet().stream().filter(e -> e.getValue() >= TOPIC_MIN_COUNT)
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(TOPIC_TERMS)
                    .forEach(e -> out.append(' ').append(e.getKey()));
            return out.toString();
        }
    }

    /** Writes analysed rows into the index's tables, in the caller's transaction. */
    static final class RowWriter implements AutoCloseable {
        private final PreparedStatement search;
        private final PreparedStatement rank;
        private final PreparedStatement listing;
        private final PreparedStatement title;

        RowWriter(java.sql.Connection c) throws java.sql.SQLException {
            search = c.prepareStatement("INSERT INTO search(rowid, title, headings, body, listing) VALUES (?, ?, ?, ?, ?)");
            rank = c.prepareStatement("INSERT INTO search_rank(rowid, title, headings, lead) VALUES (?, ?, ?, ?)");
            title = c.prepareStatement("INSERT INTO search_title(rowid, title) VALUES (?, ?)");
            listing = c.prepareStatement("INSERT OR IGNORE INTO search_listing(row) VALUES (?)");
        }

        void write(long row, Analysed a) throws java.sql.SQLException {
            write(row, a, a.listing() ? "" : a.lead());
        }

        void write(long row, Analysed a, String lead) throws java.sql.SQLException {
            search.setLong(1, row);
            search.setString(2, a.title());
            search.setString(3, a.headings());
            search.setString(4, a.listing() ? "" : a.body());
            search.setString(5, a.listing() ? a.body() : "");
            search.executeUpdate();
            rank.setLong(1, row);
            rank.setString(2, a.title());
            rank.setString(3, a.headings());
            rank.setString(4, lead);
            rank.executeUpdate();
            title.setLong(1, row);
            title.setString(2, a.title());
            title.executeUpdate();
            if (a.listing()) {
                listing.setLong(1, row);
                listing.executeUpdate();
            }
        }

        @Override
        public void close() throws java.sql.SQLException {
            try (search; rank; listing; title) {
                // closes all four
            }
        }
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
        for (String sql : new String[] {"DELETE FROM search_text WHERE row IN",
            "DELETE FROM search_rank WHERE rowid IN", "DELETE FROM search_title WHERE rowid IN",
            "DELETE FROM search_listing WHERE row IN"}) {
            try (PreparedStatement ps = c.prepareStatement(sql + " (SELECT row FROM staged_search WHERE " + where + ")")) {
                binder.bind(ps);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM staged_search WHERE " + where)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    /** The query's words (and their stems in no language) as snippets compare them. */
    static List<String> foldedTerms(String query) {
        return SearchQuery.parse(query, List.of()).terms();
    }

    /** What the index does to a word: see {@link SearchAnalyzer#fold}. */
    static String fold(String word) {
        return SearchAnalyzer.fold(word);
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
            int wordStart = SearchAnalyzer.nextWordStart(text, pos);
            if (wordStart >= length) {
                break;
            }
            int wordEnd = SearchAnalyzer.wordEnd(text, wordStart);
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
        boolean run = SearchAnalyzer.needsSegmentation(folded);
        for (int t = 0; t < terms.size(); t++) {
            // A run of Chinese or Japanese is one word here: a term is found anywhere in it.
            if (run ? folded.contains(terms.get(t)) : folded.startsWith(terms.get(t))) {
                return t;
            }
        }
        return -1;
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
