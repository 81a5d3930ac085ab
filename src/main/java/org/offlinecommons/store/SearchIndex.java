package org.offlinecommons.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
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
    /** Title matches count for more than body matches. */
    private static final String RANK = "bm25(search, 8.0, 1.0)";

    private final Database db;

    public SearchIndex(Database db) {
        this.db = db;
    }

    /**
     * Searches all packs, or one when {@code packId} is not null. A query with no words gives no
     * results rather than an error.
     */
    public SearchResults search(String query, String packId, int limit, int offset) {
        String q = query == null ? "" : query;
        String match = toMatchExpression(q);
        int lim = Math.max(1, Math.min(MAX_LIMIT, limit));
        int off = Math.max(0, offset);
        if (match.isEmpty()) {
            return new SearchResults(q, 0, off, List.of());
        }
        String packFilter = packId == null ? "" : " AND i.pack_id = ?";
        return db.read(c -> {
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
            if (total > off) {
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT i.pack_id, p.title, i.position, i.path, i.entry, i.title, i.kind, i.timestamp,
                               snippet(search, 1, char(2), char(3), '…', 24)
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
                            hits.add(new SearchHit(rs.getString(1), rs.getString(2), item, rs.getString(9)));
                        }
                    }
                }
            }
            return new SearchResults(q, total, off, hits);
        });
    }

    /**
     * Stores the search text of items being prepared under {@code batch}; {@link Catalog#publish}
     * moves it into the index. Text of a batch never published is swept with other leftovers.
     */
    public void stage(String batch, java.util.List<NewItem> items) {
        if (items.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO staged_text(batch, item_position,"
                    + " title, body, created_at) VALUES (?, ?, ?, ?, ?)")) {
                for (NewItem n : items) {
                    ps.setString(1, batch);
                    ps.setInt(2, n.item().position());
                    ps.setString(3, clean(n.item().title()));
                    ps.setString(4, clean(n.searchText() == null ? "" : n.searchText()));
                    ps.setLong(5, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
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
        return CONTROL.matcher(text).replaceAll(" ");
    }
}
