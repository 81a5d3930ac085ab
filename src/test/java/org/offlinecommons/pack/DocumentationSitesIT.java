package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

/**
 * Real documentation sites from Debian packages (the scripts install them), packed from their
 * folders as an admin would: their Contents follow the manual's own table of contents and hold
 * no plumbing.
 */
class DocumentationSitesIT {

    private static final Path POSTGRESQL = Path.of("/usr/share/doc/postgresql-doc-15/html");
    private static final Path PYTHON = Path.of("/usr/share/doc/python3.11/html");

    @TempDir
    Path tmp;

    @Test
    void thePostgresqlManualReadsAsItsBook() throws IOException {
        assumeTrue(Files.isRegularFile(POSTGRESQL.resolve("index.html")), "postgresql-doc-15 is not installed");
        List<Item> items = packAndImport(POSTGRESQL, "pg-manual");
        assertThat(items).extracting(Item::path).startsWith("index.html", "legalnotice.html", "preface.html",
                "intro-whatis.html", "history.html", "notation.html", "resources.html", "bug-reporting.html",
                "tutorial.html", "tutorial-start.html", "tutorial-install.html");
        assertThat(items).extracting(Item::path).doesNotContain("bookindex.html", "stylesheet.css");
        // Chapters come in their numbers' order, each followed by its own sections.
        Pattern chapter = Pattern.compile("Chapter (\\d+)\\. .*");
        Pattern section = Pattern.compile("(\\d+)\\.(\\d+)\\. .*");
        List<Integer> chapters = new ArrayList<>();
        int current = 0;
        int misplaced = 0;
        for (Item it : items) {
            Matcher c = chapter.matcher(it.title());
            Matcher s = section.matcher(it.title());
            if (c.matches()) {
                current = Integer.parseInt(c.group(1));
                chapters.add(current);
            } else if (s.matches() && current > 0 && Integer.parseInt(s.group(1)) != current) {
                misplaced++;
            }
        }
        assertThat(chapters).hasSizeGreaterThan(70).isSorted();
        assertThat(misplaced).isZero();
    }

    @Test
    void thePythonManualListsNoSourcesOrIndexes() throws IOException {
        assumeTrue(Files.isRegularFile(PYTHON.resolve("index.html")), "python3.11-doc is not installed");
        List<Item> items = packAndImport(PYTHON, "python-docs");
        assertThat(items).extracting(Item::path).startsWith("index.html")
                .noneMatch(p -> p.startsWith("_sources/") || p.startsWith("_static/") || p.startsWith("genindex")
                        || p.equals("py-modindex.html") || p.equals("search.html"))
                .containsSubsequence("whatsnew/3.11.html", "tutorial/index.html", "tutorial/interpreter.html",
                        "library/index.html", "library/functions.html", "reference/index.html", "using/index.html");
    }

    private List<Item> packAndImport(Path site, String id) throws IOException {
        // A copy, as from a USB stick: Debian's folders hold symbolic links into other packages.
        Path copy = tmp.resolve(id);
        try (Stream<Path> walk = Files.walk(site)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path to = copy.resolve(site.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (Files.isRegularFile(p)) {
                    Files.copy(p, to);
                }
            }
        }
        Path zip = tmp.resolve(id + ".zip");
        PackBuilder.buildStreamed(copy, PackBuilder.Options.of(id, id), zip, ProgressListener.NONE);
        try (Library library = Library.open(tmp.resolve("data"))) {
            new PackImporter(library).importPack(zip, ProgressListener.NONE);
            return library.catalog().items(id);
        }
    }
}
