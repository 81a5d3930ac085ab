package org.offlinecommons.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Forward-only schema migrations keyed by {@code PRAGMA user_version}. Migration N takes the
 * schema from version N to N+1; published migrations are never edited, only appended.
 */
final class Schema {

    private static final List<String> MIGRATIONS = List.of(
            """
            -- Chunks are content-addressed and shared by every file, pack and version that holds them.
            CREATE TABLE chunk(
              id INTEGER PRIMARY KEY,
              hash TEXT NOT NULL UNIQUE,
              size INTEGER NOT NULL,
              created_at INTEGER NOT NULL,
              data BLOB NOT NULL
            );
            CREATE TABLE file_recipe(
              file_hash TEXT PRIMARY KEY,
              size INTEGER NOT NULL,
              chunk_count INTEGER NOT NULL,
              created_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE file_chunk(
              file_hash TEXT NOT NULL,
              seq INTEGER NOT NULL,
              chunk_hash TEXT NOT NULL,
              size INTEGER NOT NULL,
              PRIMARY KEY(file_hash, seq)
            ) WITHOUT ROWID;
            CREATE INDEX file_chunk_by_chunk ON file_chunk(chunk_hash);
            CREATE TABLE pack(
              id TEXT PRIMARY KEY,
              version INTEGER NOT NULL,
              title TEXT NOT NULL,
              description TEXT NOT NULL,
              language TEXT NOT NULL,
              license TEXT NOT NULL,
              authors TEXT NOT NULL,
              created TEXT NOT NULL,
              entry TEXT,
              manifest TEXT NOT NULL,
              digest TEXT NOT NULL,
              total_size INTEGER NOT NULL,
              file_count INTEGER NOT NULL,
              item_count INTEGER NOT NULL,
              installed_at INTEGER NOT NULL
            );
            CREATE TABLE pack_file(
              pack_id TEXT NOT NULL REFERENCES pack(id) ON DELETE CASCADE,
              path TEXT NOT NULL,
              size INTEGER NOT NULL,
              sha256 TEXT NOT NULL,
              PRIMARY KEY(pack_id, path)
            ) WITHOUT ROWID;
            CREATE INDEX pack_file_by_hash ON pack_file(sha256);
            CREATE TABLE item(
              id INTEGER PRIMARY KEY,
              pack_id TEXT NOT NULL REFERENCES pack(id) ON DELETE CASCADE,
              position INTEGER NOT NULL,
              path TEXT NOT NULL,
              entry INTEGER,
              title TEXT NOT NULL,
              kind TEXT NOT NULL,
              timestamp TEXT,
              UNIQUE(pack_id, position)
            );
            CREATE INDEX item_by_path ON item(pack_id, path);
            -- rowid = item.id, so a pack's rows can be removed without scanning the index.
            CREATE VIRTUAL TABLE search USING fts5(
              title, body,
              tokenize = 'unicode61 remove_diacritics 2',
              prefix = '2 3 4'
            );
            CREATE TABLE setting(
              key TEXT PRIMARY KEY,
              value TEXT NOT NULL
            );
            """,
            """
            -- Search text is staged in batches while a pack is prepared and copied into the index
            -- when it is published, so a pack of 10,000 pages never holds all its text in memory.
            CREATE TABLE staged_text(
              id INTEGER PRIMARY KEY,
              batch TEXT NOT NULL,
              item_position INTEGER NOT NULL,
              title TEXT NOT NULL,
              body TEXT NOT NULL,
              created_at INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX staged_text_by_batch ON staged_text(batch, item_position);
            """,
            """
            -- What admins did, when and from where (imports, deletions, logins), for whoever
            -- has to find out later who removed a pack. Trimmed to the newest entries.
            CREATE TABLE audit_log(
              id INTEGER PRIMARY KEY,
              at INTEGER NOT NULL,
              address TEXT NOT NULL,
              action TEXT NOT NULL,
              detail TEXT NOT NULL
            );
            """,
            """
            -- Search rows written while a pack is staged, before any item refers to them: rowid of
            -- the search table (and the id its item will get), and the import or sync they belong
            -- to. Search joins item, so these rows stay invisible until the pack is published;
            -- those of an import that never finished are swept with other leftovers. This moves
            -- building the full-text index out of the publish transaction.
            CREATE TABLE staged_search(
              row INTEGER PRIMARY KEY,
              batch TEXT NOT NULL,
              created_at INTEGER NOT NULL
            );
            CREATE INDEX staged_search_by_batch ON staged_search(batch);
            DROP TABLE staged_text;
            """,
            """
            -- Prefix indexes for 2 and 3 letters only (was '2 3 4'). Each prefix length adds a
            -- posting per word to the index: the 4-letter one cost ~3 of the ~10 s of CPU that
            -- building the index of a 10,000-page pack took. A prefix of 4 or more letters is
            -- found from the term list instead, whose terms with so long a prefix are few; shorter
            -- ones ("th", "the") match so many terms that they keep their indexes (measured in
            -- docs/performance.md, Import). Rebuilding the index here is done once.
            CREATE VIRTUAL TABLE search_rebuilt USING fts5(
              title, body,
              tokenize = 'unicode61 remove_diacritics 2',
              prefix = '2 3'
            );
            INSERT INTO search_rebuilt(rowid, title, body) SELECT rowid, title, body FROM search;
            DROP TABLE search;
            ALTER TABLE search_rebuilt RENAME TO search;
            """,
            """
            -- How the full-text index grows, kept in its own config table (no rebuild). An import
            -- commits ~4 M characters of text per transaction; with FTS5's 1 MiB default hash each
            -- commit was cut into several small segments, and merging them was a third of the
            -- index build. An 8 MiB hash writes one segment per commit (held by the writer only
            -- while it indexes), and merging 8 segments at a time instead of 4 rewrites each
            -- posting fewer times: 10,000 pages in 4.4-4.8 s of CPU instead of 7.0-8.0 s, and
            -- queries no slower (docs/performance.md, Import).
            INSERT INTO search(search, rank) VALUES ('hashsize', 8388608);
            INSERT INTO search(search, rank) VALUES ('automerge', 8);
            """,
            """
            -- Format-2 packs (docs/pack-format.md): pack.manifest holds only their pack.json, a
            -- small metadata document; their files live in pack_file alone (with a media type
            -- where the path cannot give one). An import or a sync stages a pack's files and
            -- items here, in batches, instead of in memory; publishing moves them into pack_file
            -- and item in one transaction. released_file lists the contents a replaced or
            -- deleted pack used, freed in batches after the publish.
            ALTER TABLE pack ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE pack_file ADD COLUMN media_type TEXT;
            CREATE TABLE staged_file(
              batch TEXT NOT NULL,
              path TEXT NOT NULL,
              size INTEGER NOT NULL,
              sha256 TEXT NOT NULL,
              media_type TEXT,
              created_at INTEGER NOT NULL,
              PRIMARY KEY(batch, path)
            ) WITHOUT ROWID;
            CREATE TABLE staged_item(
              batch TEXT NOT NULL,
              rank INTEGER NOT NULL,
              file_seq INTEGER NOT NULL,
              sub INTEGER NOT NULL,
              path TEXT NOT NULL,
              entry INTEGER,
              title TEXT NOT NULL,
              kind TEXT NOT NULL,
              timestamp TEXT,
              row INTEGER NOT NULL,
              created_at INTEGER NOT NULL,
              PRIMARY KEY(batch, rank, file_seq, sub)
            ) WITHOUT ROWID;
            CREATE TABLE released_file(
              sha256 TEXT PRIMARY KEY
            ) WITHOUT ROWID;
            -- The pieces of a format-2 pack's sync manifest (docs/sync-protocol.md): which files
            -- each holds (those after after_path, in path order, files of them), so that a piece
            -- asked for by its hash is made again from pack_file, not kept.
            CREATE TABLE sync_piece(
              digest TEXT NOT NULL,
              seq INTEGER NOT NULL,
              hash TEXT NOT NULL,
              size INTEGER NOT NULL,
              files INTEGER NOT NULL,
              after_path TEXT,
              PRIMARY KEY(digest, seq)
            ) WITHOUT ROWID;
            CREATE INDEX sync_piece_by_hash ON sync_piece(hash);
            """,
            """
            -- Disk like Kiwix (docs/performance.md, "Storage"). Chunks of text are stored as zstd
            -- frames (codec 1; 0 is the raw bytes); hash and size stay those of the raw bytes.
            -- Chunks stored before stay raw and readable: compressing them here would rewrite the
            -- whole library in one transaction.
            ALTER TABLE chunk ADD COLUMN codec INTEGER NOT NULL DEFAULT 0;
            -- The index keeps no copy of the text (content=''): snippets are cut from the stored
            -- file. detail=column keeps which column a word is in but not where: queries are
            -- words ANDed, never phrases, and the positions were four fifths of the index.
            -- contentless_delete lets a deleted pack's rows go as before. Built from the old
            -- table's text in FTS5's bounded batches.
            CREATE VIRTUAL TABLE search_rebuilt USING fts5(
              title, body,
              tokenize = 'unicode61 remove_diacritics 2',
              prefix = '2 3',
              detail = column,
              content = '',
              contentless_delete = 1
            );
            INSERT INTO search_rebuilt(search_rebuilt, rank) VALUES ('hashsize', 8388608);
            INSERT INTO search_rebuilt(search_rebuilt, rank) VALUES ('automerge', 8);
            INSERT INTO search_rebuilt(rowid, title, body) SELECT rowid, title, body FROM search;
            DROP TABLE search;
            ALTER TABLE search_rebuilt RENAME TO search;
            -- Long texts (16,000 characters or more) are kept zstd-compressed for their snippets,
            -- by search row: extracting a long page again costs a search too much. Rows of staged
            -- texts go with their staged rows; those of published items with their item.
            CREATE TABLE search_text(
              row INTEGER PRIMARY KEY,
              data BLOB NOT NULL
            );
            CREATE TRIGGER search_text_of_item AFTER DELETE ON item BEGIN DELETE FROM search_text WHERE row = old.id; END
            """,
            """
            -- Chunks whose stored bytes no longer match their hash (a disk that rots), found by a
            -- checked read, the scrub or verify: never served, listed until repair stores a good
            -- copy again. where_found names a pack file that uses it, for the admin.
            CREATE TABLE damaged_chunk(
              hash TEXT PRIMARY KEY,
              found_at INTEGER NOT NULL,
              where_found TEXT NOT NULL
            ) WITHOUT ROWID;
            -- Which import stored a chunk or a recipe first (null: before this, or a sync), so that a
            -- failed or refused import removes what it staged at once instead of a day later.
            ALTER TABLE chunk ADD COLUMN staged_by INTEGER;
            CREATE INDEX chunk_by_staging ON chunk(staged_by) WHERE staged_by IS NOT NULL;
            ALTER TABLE file_recipe ADD COLUMN staged_by INTEGER;
            CREATE INDEX file_recipe_by_staging ON file_recipe(staged_by) WHERE staged_by IS NOT NULL;
            -- CRC-32C of a chunk's raw bytes, checked on every read: SHA-256 on every read halved
            -- the rate of video ranges (docs/performance.md, "Checked reads"). Null for chunks
            -- stored before, which are checked against their SHA-256 instead.
            ALTER TABLE chunk ADD COLUMN crc INTEGER;
            """,
            """
            -- Search that finds the right page first (store.SearchAnalyzer, docs/performance.md,
            -- "Search"): text is folded, stemmed and cut into words in Java before FTS5 sees it,
            -- and an item has four columns, weighted apart: its title, its headings, its body, and
            -- the body of a page that is mostly a list of links (an index), which counts little.
            -- Marks count as letters, so Hindi or Bengali words are no longer cut at their vowel
            -- signs. The old index keeps no text (content=''), so it cannot be converted here:
            -- it is dropped, and rebuilt from the stored files, in batches, when the library is
            -- next opened (SearchIndex.rebuildPending; search.rebuild.after is the last item id
            -- done). Rows of imports that never finished go with it.
            DELETE FROM search_text WHERE row IN (SELECT row FROM staged_search);
            DELETE FROM staged_search;
            DROP TABLE search;
            CREATE VIRTUAL TABLE search USING fts5(
              title, headings, body, listing,
              tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'",
              prefix = '2 3',
              detail = column,
              content = '',
              contentless_delete = 1
            );
            INSERT INTO search(search, rank) VALUES ('hashsize', 8388608);
            INSERT INTO search(search, rank) VALUES ('automerge', 8);
            -- The index's own words, for "did you mean" (store.SpellingSuggester).
            CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search, row);
            -- Ranking. bm25() scores nothing in a contentless index without positions (FTS5 gives
            -- no instances when detail is not full and there is no content): every hit of the
            -- index above ranked alike, in row order. So the short parts that say what an item is
            -- about (its title, its headings, the first words of its text) are also indexed here
            -- with positions, where bm25 works: a quarter of the index above's size for long
            -- pages, nearly as much as it for short ones (measured in docs/performance.md). The
            -- body is matched above and ranks by these. Items that are mostly lists of links
            -- (generated indexes) are listed in search_listing and rank after the others.
            CREATE VIRTUAL TABLE search_rank USING fts5(
              title, headings, lead,
              tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'",
              prefix = '2 3',
              content = '',
              contentless_delete = 1
            );
            CREATE TABLE search_listing(
              row INTEGER PRIMARY KEY
            );
            CREATE TRIGGER search_rank_of_item AFTER DELETE ON item BEGIN DELETE FROM search_rank WHERE rowid = old.id; DELETE FROM search_listing WHERE row = old.id; END;
            INSERT INTO setting(key, value) VALUES ('search.rebuild.after', '0')
              ON CONFLICT(key) DO UPDATE SET value = excluded.value;
            """,
            """
            -- zstd dictionaries, each trained on the first small chunks of one import or pull
            -- (store.ChunkCompressor) and used for its other small chunks (codec 2). id is zstd's
            -- Dictionary_ID, which each such chunk's frame header carries. Kept twice with the
            -- SHA-256 of its bytes, since a damaged dictionary would damage all of its chunks.
            -- staged_by is the import or pull whose chunks carry the same staged_by; a dictionary
            -- goes once none of them is left (a failed import at once, otherwise the sweep).
            CREATE TABLE chunk_dictionary(
              id INTEGER PRIMARY KEY,
              data BLOB NOT NULL,
              copy BLOB NOT NULL,
              sha256 TEXT NOT NULL,
              staged_by INTEGER NOT NULL,
              created_at INTEGER NOT NULL
            );
            """,
            """
            -- A smaller search index (docs/performance.md, "Smaller search index"): the prefix
            -- indexes were more than half of both full-text tables, and which column of an item
            -- a word is in was most of the rest of the body's index. The body index now only finds
            -- items (detail=none, no prefix index): search_rank ranks them and no query filters
            -- it by column. So query words of 1-3 letters match whole words (store.SearchQuery),
            -- longer ones also as prefixes, found from the term list. The search box's
            -- suggestions, which want typed prefixes of titles at once, get a small index of
            -- titles alone with the prefix indexes. The old tables keep no text, so the new ones
            -- are rebuilt from the stored files when the library is next opened, as for schema 10.
            DELETE FROM search_text WHERE row IN (SELECT row FROM staged_search);
            DELETE FROM staged_search;
            DELETE FROM search_listing;
            DROP TRIGGER search_rank_of_item;
            DROP TABLE search_vocab;
            DROP TABLE search;
            DROP TABLE search_rank;
            CREATE VIRTUAL TABLE search USING fts5(
              title, headings, body, listing,
              tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'",
              detail = none,
              content = '',
              contentless_delete = 1
            );
            INSERT INTO search(search, rank) VALUES ('hashsize', 8388608);
            INSERT INTO search(search, rank) VALUES ('automerge', 8);
            CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search, row);
            CREATE VIRTUAL TABLE search_rank USING fts5(
              title, headings, lead,
              tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'",
              content = '',
              contentless_delete = 1
            );
            CREATE VIRTUAL TABLE search_title USING fts5(
              title,
              tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'",
              prefix = '2 3',
              detail = none,
              content = '',
              contentless_delete = 1
            );
            CREATE TRIGGER search_rank_of_item AFTER DELETE ON item BEGIN DELETE FROM search_rank WHERE rowid = old.id; DELETE FROM search_title WHERE rowid = old.id; DELETE FROM search_listing WHERE row = old.id; END;
            INSERT INTO setting(key, value) VALUES ('search.rebuild.after', '0')
              ON CONFLICT(key) DO UPDATE SET value = excluded.value;
            """
    );

    private Schema() {
    }

    static void migrate(Connection c) throws SQLException {
        migrate(c, MIGRATIONS.size());
    }

    /** The schema version this program writes. */
    static int latestVersion() {
        return MIGRATIONS.size();
    }

    /** Migrates up to schema {@code target} only: for tests of a migration on an older library. */
    static void migrate(Connection c, int target) throws SQLException {
        int current;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            current = rs.getInt(1);
        }
        if (current > MIGRATIONS.size()) {
            throw new StoreException("This library was written by a newer Offline Commons (schema "
                    + current + ", this program knows up to " + MIGRATIONS.size()
                    + "); upgrade the program rather than risk the data.", null);
        }
        for (int v = current; v < target; v++) {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                try {
                    for (String sql : MIGRATIONS.get(v).split(";\\s*\\n")) {
                        String stmt = stripComments(sql);
                        if (!stmt.isBlank()) {
                            s.execute(stmt);
                        }
                    }
                    s.execute("PRAGMA user_version=" + (v + 1));
                    s.execute("COMMIT");
                } catch (SQLException e) {
                    s.execute("ROLLBACK");
                    throw e;
                }
            }
        }
    }

    private static String stripComments(String sql) {
        StringBuilder out = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
