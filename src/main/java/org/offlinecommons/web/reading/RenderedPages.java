package org.offlinecommons.web.reading;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.offlinecommons.store.GenerationCache;
import org.offlinecommons.store.Library;

/**
 * The home and pack pages as they were last rendered, per language, so that a page asked for
 * again costs what a stored file does: rendering them was most of a busy server's CPU and
 * garbage (docs/performance.md, "Pages rendered once"). A page is valid for one
 * generation of the library and until a download is prepared (pages show download sizes once
 * known); it holds nothing of the visitor's but the language.
 */
final class RenderedPages {

    /** A pack page of 100 items is 20-40 KB: about 2-4 MB, at most 6 MB. */
    private static final int PAGES = 96;
    /** A larger page (the home page of a library of hundreds of packs) is rendered each time instead. */
    static final int MAX_KEPT_BYTES = 64 * 1024;

    /**
     * One page as a visitor can ask for it.
     *
     * @param page              which page ("home", "pack")
     * @param argument          the pack's id, or the language filter of the home page, or ""
     * @param number            the page of the pack's contents, or 0
     * @param language          the interface's language
     * @param downloadsPrepared {@link LibraryPages#downloadsPrepared()} when it was rendered
     */
    record Key(String page, String argument, int number, Locale language, long downloadsPrepared) {
    }

    /**
     * A page as sent: its bytes, and gzipped (null for a page not kept), so that a browser, which
     * always asks for gzip, does not have it compressed again on every request.
     */
    record Page(byte[] plain, byte[] gzipped) {
    }

    private final Library library;
    private final GenerationCache<Key, Page> pages = new GenerationCache<>(PAGES);

    RenderedPages(Library library) {
        this.library = library;
    }

    /** The page rendered for {@code key} in this generation of the library, rendered now if it is not. */
    Page get(Key key, Supplier<byte[]> render) {
        long generation = library.generation(); // before rendering: a change meanwhile makes the page stale
        Page kept = pages.get(key, generation);
        if (kept != null) {
            return kept;
        }
        byte[] plain = render.get();
        if (plain.length > MAX_KEPT_BYTES) {
            return new Page(plain, null);
        }
        Page page = new Page(plain, gzip(plain));
        pages.put(key, generation, page);
        return page;
    }

    /** At the level the server compresses its other answers with (WebServer). */
    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4);
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(6);
            }
        }) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        return out.toByteArray();
    }
}
