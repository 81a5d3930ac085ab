package org.offlinecommons.web.reading;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.offlinecommons.notes.NoteEntry;
import org.offlinecommons.notes.NotesParser;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.GenerationCache;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.StoredFile;

/**
 * The text of pack files, for the pages that show documents inside our layout. Notes files are
 * parsed once and kept by content hash: every entry of a notes file is its own page, and
 * re-parsing megabytes of notes per page view would starve a small server.
 */
public final class PackText {

    /** Larger documents are offered as downloads: a phone could not lay them out anyway. */
    public static final int MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
    /** The importer splits notes files up to this size into entries. */
    public static final int MAX_NOTES_BYTES = 8 * 1024 * 1024;
    private static final int CACHED_NOTES_FILES = 16;

    private final Library library;
    private final GenerationCache<String, List<NoteEntry>> notesByHash = new GenerationCache<>(CACHED_NOTES_FILES);

    public PackText(Library library) {
        this.library = library;
    }

    /** The file as text, or empty when it is larger than {@code maxBytes}. */
    public Optional<String> read(StoredFile file, int maxBytes) {
        if (file.size() > maxBytes) {
            return Optional.empty();
        }
        FileRecipe recipe = library.chunks().recipe(file.sha256())
                .orElseThrow(() -> new IllegalStateException("content of " + file.path() + " is missing"));
        try (InputStream in = library.chunks().open(recipe)) {
            String text = new String(in.readNBytes(maxBytes), StandardCharsets.UTF_8);
            return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries of a notes file in the order the importer numbered them, or empty if too large. */
    public Optional<List<NoteEntry>> notes(StoredFile file) {
        // Content named by its hash: the entries never go stale.
        return Optional.ofNullable(notesByHash.get(file.sha256(), GenerationCache.TIMELESS,
                () -> read(file, MAX_NOTES_BYTES).map(NotesParser::parse).orElse(null)));
    }
}
