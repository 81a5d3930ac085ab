package org.offlinecommons.store;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The text of search hits, for their snippets. The index holds no copy of it: it is re-extracted
 * from the hit's stored file, except for long texts (a page of 16,000 characters or more),
 * which are also kept zstd-compressed in {@code search_text}: extracting them again made a fresh
 * search on a documentation site several times slower at the 99th percentile, for a few per
 * cent of such a library's size (docs/performance.md, "Storage"). Texts of recent hits are kept
 * in memory up to a fixed number of chars.
 */
final class SnippetTexts {

    /** Texts at least this long are kept compressed beside the index. */
    static final int KEPT_TEXT_CHARS = 16 * 1024;

    /** About 4-8 MB of heap: the texts of a few hundred typical pages or of a few very long ones. */
    private static final long CACHED_CHARS = 4L << 20;

    private final Database db;
    private final Catalog catalog;
    private final ChunkStore chunks;
    private volatile Optional<IndexedText> source;
    private final LinkedHashMap<String, String> recent = new LinkedHashMap<>(256, 0.75f, true);
    /** Guarded by recent. */
    private long recentChars;

    SnippetTexts(Database db, Catalog catalog, ChunkStore chunks) {
        this.db = db;
        this.catalog = catalog;
        this.chunks = chunks;
    }

    static byte[] pack(String text) {
        return ChunkCodec.compress(text.getBytes(StandardCharsets.UTF_8), 3);
    }

    /**
     * The indexed text of the item of search row {@code row}, or "" when its file cannot be read
     * (it is then found, but shown without snippet).
     */
    String text(long row, String packId, Item item) {
        Optional<String> kept = db.query("SELECT data FROM search_text WHERE row = ?", ps -> {
            ps.setLong(1, row);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(unpack(rs.getBytes(1))) : Optional.empty();
            }
        });
        if (kept.isPresent()) {
            return kept.get();
        }
        IndexedText extractor = source();
        if (extractor == null) {
            return item.title();
        }
        Optional<StoredFile> file = catalog.file(packId, item.path());
        if (file.isEmpty()) {
            return "";
        }
        if (!extractor.reads(item, file.get().size())) {
            return extractor.text(item, null);
        }
        String key = file.get().sha256() + '/' + item.kind() + '/' + item.entry();
        synchronized (recent) {
            String cached = recent.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Optional<FileRecipe> recipe = chunks.recipe(file.get().sha256());
        if (recipe.isEmpty()) {
            return "";
        }
        String text;
        try (InputStream in = chunks.open(recipe.get())) {
            text = SearchIndex.clean(extractor.text(item, in.readAllBytes()));
        } catch (IOException | RuntimeException e) {
            // A damaged or half-deleted file costs its snippet, not the search; verify reports it.
            return "";
        }
        remember(key, text);
        return text;
    }

    /**
     * Everything the item of a published row was indexed with, extracted again from its stored
     * file: for rebuilding the index. Its title alone when its file cannot be read.
     */
    SearchIndex.Text indexed(String packId, Item item) {
        IndexedText extractor = source();
        if (extractor == null) {
            return new SearchIndex.Text(item.title(), "");
        }
        Optional<StoredFile> file = catalog.file(packId, item.path());
        if (file.isEmpty()) {
            return new SearchIndex.Text(item.title(), "");
        }
        try {
            if (!extractor.reads(item, file.get().size())) {
                return extractor.indexed(item, null);
            }
            Optional<FileRecipe> recipe = chunks.recipe(file.get().sha256());
            if (recipe.isEmpty()) {
                return new SearchIndex.Text(item.title(), "");
            }
            try (InputStream in = chunks.open(recipe.get())) {
                return extractor.indexed(item, in.readAllBytes());
            }
        } catch (IOException | RuntimeException e) {
            // A damaged file is found by its title until repaired; verify reports it.
            return new SearchIndex.Text(item.title(), "");
        }
    }

    private void remember(String key, String text) {
        if (text.length() > CACHED_CHARS / 4) {
            return;
        }
        synchronized (recent) {
            if (recent.put(key, text) == null) {
                recentChars += text.length();
            }
            var it = recent.entrySet().iterator();
            while (recentChars > CACHED_CHARS && it.hasNext()) {
                Map.Entry<String, String> eldest = it.next();
                recentChars -= eldest.getValue().length();
                it.remove();
            }
        }
    }

    private static String unpack(byte[] packed) {
        try {
            long size = Zstd.getFrameContentSize(packed);
            if (size < 0 || size > 64L << 20) {
                return "";
            }
            return new String(Zstd.decompress(packed, (int) size), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return ""; // damaged: the hit keeps its place, without snippet
        }
    }

    private IndexedText source() {
        Optional<IndexedText> s = source;
        if (s == null) {
            s = ServiceLoader.load(IndexedText.class, SnippetTexts.class.getClassLoader()).findFirst();
            source = s;
        }
        return s.orElse(null);
    }
}
