package org.offlinecommons.web;

import static org.offlinecommons.pack.PackFixtures.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.web.reading.PageUrls;

/** The packs the reading pages are tested with: real folders, built and imported as admins do. */
final class ReadingFixtures {

    /** A title that would run script if any page forgot to escape it. */
    static final String EVIL_TITLE = "<script>alert(1)</script> & \"friends\"";
    static final String EVIL_TITLE_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";
    static final String ARABIC_TITLE = "مكتبة المدرسة";
    static final int BULK_ITEMS = 120;

    private ReadingFixtures() {
    }

    /**
     * Imports five packs, enough for a "recently added" row: the bundled field notes, a hostile
     * pack of every kind, a big pack of lessons (paging), a right-to-left pack (a second and
     * third language) and a small one.
     */
    static void importAll(Library library, Path tmp) throws IOException {
        PackImporter importer = new PackImporter(library);
        importer.importPack(PackFixtures.build(Path.of("content-packs/field-notes"),
                new PackBuilder.Options(null, null, null, null, null, null, null, null, null),
                tmp.resolve("field-notes.zip")), ProgressListener.NONE);
        importer.importPack(build(evil(tmp.resolve("evil")), "evil", EVIL_TITLE, "fr", tmp), ProgressListener.NONE);
        importer.importPack(build(bulk(tmp.resolve("bulk")), "bulk", "Biology lessons", "en", tmp),
                ProgressListener.NONE);
        importer.importPack(build(arabic(tmp.resolve("arabic")), "arabic", ARABIC_TITLE, "ar", tmp),
                ProgressListener.NONE);
        Path poems = write(tmp.resolve("poems"), "rain.md", "# Rain\n\nThe rain falls on the school roof.\n")
                .getParent();
        importer.importPack(build(poems, "poems", "Poems for rainy days", "en", tmp), ProgressListener.NONE);
    }

    static Path build(Path folder, String id, String title, String language, Path tmp) {
        return PackFixtures.build(folder, new PackBuilder.Options(id, title, null, language, null, null, null, null,
                null), tmp.resolve(id + ".zip"));
    }

    private static Path evil(Path root) throws IOException {
        write(root, "pack.json", """
                {"description": "<img src=x onerror=alert(2)> A pack that tries every trick.",
                 "license": "<b>CC0</b>", "authors": ["<i>Mallory</i>"]}
                """);
        write(root, "index.html", "<!doctype html><title><script>alert(3)</script> Start page</title>"
                + "<h1>Start</h1><p><a href=\"deep/page.html\">Deeper</a></p>");
        write(root, "deep/page.html", "<!doctype html><title>Deep page</title><p><a href=\"../index.html\">Up</a></p>");
        write(root, "guide/intro.md", """
                # <script>alert(4)</script> Guide

                Some **bold** words about chlorophyll.

                <script>alert(5)</script>
                <div onclick="alert(6)">raw html</div>

                [a bad link](javascript:alert(7)) and [the notes](../notes.txt) and [next](two.md#part)
                and [a web page](../deep/page.html) and [away](https://example.org/x).

                ![a leaf](pics/leaf.png) ![remote](http://example.org/remote.png)
                """);
        write(root, "guide/two.md", "# Second guide\n\nMore chlorophyll.\n");
        write(root, "guide/pics/leaf.png", "not really a png");
        write(root, "notes.txt", """
                Sat Mar 16 12:24:56 EDT 2013
                ============================

                <script>alert(8)</script> is what the notes say about chlorophyll.

                Sun Mar 17 09:00:00 EDT 2013
                ============================

                A second entry.
                """);
        write(root, "readme.txt", "Plain text with <script>alert(9)</script> and chlorophyll.\n");
        write(root, "docs/manual.pdf", "%PDF-1.4 not really a pdf");
        write(root, "media/clip.webm", "not really a video");
        write(root, "media/song.mp3", "not really a song");
        return root;
    }

    private static Path bulk(Path root) throws IOException {
        for (int i = 1; i <= BULK_ITEMS; i++) {
            write(root, String.format("unit-%d/lesson-%03d.md", (i - 1) / 50 + 1, i),
                    "# Lesson " + i + "\n\nPhotosynthesis, part " + i + ".\n");
        }
        return root;
    }

    private static Path arabic(Path root) throws IOException {
        write(root, "dars.md", "# الدرس الأول\n\nمرحبا بكم في مكتبة المدرسة.\n");
        return root;
    }

    static List<String> readerPositions(Library library, String packId) {
        return library.catalog().items(packId).stream().map(i -> PageUrls.read(packId, i.position())).toList();
    }
}
