package org.offlinecommons.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The text of search hits, for their snippets, re-extracted from their stored files (the index
 * holds no copy of it). A page that matches many queries (a long one, usually) is extracted once
 * and kept while it is used: the texts of recent hits are kept up to a fixed number of chars.
 */
final class SnippetTexts {

    /** About 4-8 MB of heap: the texts of a few hundred typical pages or of a few very long ones. */
    private static final long CACHED_CHARS = 4L << 20;

    private final Catalog catalog;
    private final ChunkStore chunks;
    private volatile Optional<IndexedText> source;
    private final LinkedHashMap<String, String> recent = new LinkedHashMap<>(256, 0.75f, true);
    /** Guarded by recent. */
    private long recentChars;

    SnippetTexts(Catalog catalog, ChunkStore chunks) {
        this.catalog = catalog;
        this.chunks = chunks;
    }

    /** The item's indexed text, or "" when its file cannot be read (it is then found, but shown without snippet). */
    String text(String packId, Item item) {
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
            text = extractor.text(item, in.readAllBytes());
        } catch (IOException | RuntimeException e) {
            // A damaged or half-deleted file costs its snippet, not the search; verify reports it.
            return "";
        }
        remember(key, text);
        return text;
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

    private IndexedText source() {
        Optional<IndexedText> s = source;
        if (s == null) {
            s = ServiceLoader.load(IndexedText.class, SnippetTexts.class.getClassLoader()).findFirst();
            source = s;
        }
        return s.orElse(null);
    }
}
