package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.SearchHit;

/**
 * A website packed from a folder lists and searches its pages, not its plumbing, and its Contents
 * follow the site's own reading order (docs/pack-format.md, "When items is absent"), in both
 * formats and whether items are derived when packing or when importing.
 */
class SiteItemsTest {

    /** The Contents the Sphinx-like site below should have: its toctree's order, then the rest by path. */
    static final List<String> CONTENTS = List.of("index.html", "zebra.html", "zebra-stripes.html",
            "library/asyncio-queue.html", "apple.html", "guide.html", "fragment.txt", "orphan.html");

    @TempDir
    Path tmp;

    /**
     * A site as Sphinx builds it: an entry page whose toctree is not in path order, pages, the
     * source of each page in {@code _sources}, assets, the generated indexes and search helpers;
     * and, as AsciiDoc sites ship, a page's source beside it ({@code guide.txt}).
     */
    static Path sphinxSite(Path root) throws IOException {
        String related = "<div class=\"related\" role=\"navigation\"><ul>"
                + "<li><a href=\"%1$sgenindex.html\" title=\"General Index\" accesskey=\"I\">index</a></li>"
                + "<li><a href=\"%1$spy-modindex.html\" title=\"Python Module Index\">modules</a></li>"
                + "<li><a href=\"%1$sorphan.html\" title=\"Next\" accesskey=\"N\">next</a></li></ul></div>";
        String sidebar = "<div class=\"sphinxsidebar\"><a href=\"%1$s_sources/%2$s.rst.txt\" rel=\"nofollow\">Show"
                + " source</a><form action=\"%1$ssearch.html\"><input name=\"q\"></form></div>";
        String head = "<!doctype html><html><head><meta charset=\"utf-8\"><title>%s — Sample 1.0</title>"
                + "<link rel=\"stylesheet\" href=\"%s_static/basic.css\"><script src=\"%2$s_static/doctools.js\">"
                + "</script></head><body>";
        PackFixtures.write(root, "index.html", head.formatted("Sample documentation", "")
                + related.formatted("") + "<h1>Sample documentation</h1><div class=\"toctree-wrapper\"><ul>"
                + "<li><a href=\"zebra.html\">Zebras</a><ul><li><a href=\"zebra.html#legs\">Legs</a></li></ul></li>"
                + "<li><a href=\"library/asyncio-queue.html\">Queues</a></li>"
                + "<li><a href=\"./apple.html?highlight=x\">Apples</a></li>"
                + "<li><a href=\"https://www.python.org/\">Python</a></li>"
                + "<li><a href=\"missing.html\">A page the site lacks</a></li>"
                + "</ul></div>" + sidebar.formatted("", "index") + "</body></html>");
        PackFixtures.write(root, "zebra.html", head.formatted("Zebras", "") + related.formatted("")
                + "<h1>Zebras</h1><p>Striped horses. See <a href=\"zebra-stripes.html\">stripes</a> and"
                + " <a href=\"index.html\">home</a>.</p>" + sidebar.formatted("", "zebra") + "</body></html>");
        PackFixtures.write(root, "zebra-stripes.html", head.formatted("Stripes", "") + "<h1>Stripes</h1>"
                + "<p>Black and white.</p></body></html>");
        PackFixtures.write(root, "library/asyncio-queue.html", head.formatted("asyncio queues", "../")
                + related.formatted("../") + "<h1>asyncio queues</h1><p>An asyncio queue hands items from"
                + " producers to consumers: put and get.</p>" + sidebar.formatted("../", "library/asyncio-queue")
                + "</body></html>");
        PackFixtures.write(root, "apple.html", head.formatted("Apples", "") + "<h1>Apples</h1>"
                + "<p>Fruit. Read the <a href=\"guide.html\">guide</a>.</p></body></html>");
        PackFixtures.write(root, "orphan.html", head.formatted("Orphan", "") + "<h1>Orphan</h1>"
                + "<p>Linked from nowhere but a next link.</p></body></html>");
        PackFixtures.write(root, "guide.html", head.formatted("Guide", "") + "<h1>Guide</h1><p>How to.</p>"
                + "</body></html>");
        PackFixtures.write(root, "guide.txt", "Guide\n=====\n\nHow to.\n");
        PackFixtures.write(root, "fragment.txt", "A text file of its own, beside no page.\n");
        for (String page : List.of("index", "zebra", "library/asyncio-queue")) {
            PackFixtures.write(root, "_sources/" + page + ".rst.txt", page + "\n=====\n\nasyncio queue source\n");
        }
        PackFixtures.write(root, "_static/basic.css", "body { margin: 0 }\n");
        PackFixtures.write(root, "_static/doctools.js", "var asyncio = 'queue';\n");
        PackFixtures.writeRandom(root, "_static/logo.png", 500, 1);
        PackFixtures.write(root, "genindex.html", head.formatted("Index", "") + "<h1>Index</h1>"
                + "<a href=\"library/asyncio-queue.html#asyncio.Queue\">Queue (class in asyncio)</a>"
                + " <a href=\"library/asyncio-queue.html#asyncio.Queue.get\">get() (asyncio.Queue method)</a>"
                + "</body></html>");
        PackFixtures.write(root, "genindex-Q.html", head.formatted("Index – Q", "") + "<p>asyncio queue</p>");
        PackFixtures.write(root, "py-modindex.html", head.formatted("Python Module Index", "")
                + "<p>asyncio.queue asyncio queue</p></body></html>");
        PackFixtures.write(root, "search.html", head.formatted("Search", "") + "<p>asyncio queue</p>");
        PackFixtures.write(root, "searchindex.js", "Search.setIndex({\"asyncio\": [\"queue\"]})");
        PackFixtures.writeRandom(root, "objects.inv", 300, 2);
        PackFixtures.write(root, ".buildinfo", "config: 0\n");
        PackFixtures.write(root, "robots.txt", "User-agent: *\n");
        return root;
    }

    @Test
    void aStreamedPackListsThePagesInTheSitesOrderAndSearchFindsThePageNotTheIndex() throws IOException {
        Path zip = tmp.resolve("sample.zip");
        PackBuilder.buildStreamed(sphinxSite(tmp.resolve("site")), PackBuilder.Options.of("sample", "Sample"), zip,
                ProgressListener.NONE);
        try (Library library = Library.open(tmp.resolve("data"))) {
            new PackImporter(library).importPack(zip, ProgressListener.NONE);
            assertPagesInOrder(library);
            assertSearchFindsThePage(library);
        }
    }

    @Test
    void aFormat1PackDerivesTheSameItemsWhenPacking() throws IOException {
        Path zip = PackFixtures.build(sphinxSite(tmp.resolve("site")), "sample", "Sample", tmp.resolve("s.zip"));
        try (PackArchive archive = PackArchive.open(zip)) {
            assertThat(archive.manifest().items()).extracting(PackManifest.ItemEntry::path)
                    .containsExactlyElementsOf(CONTENTS);
            assertThat(archive.manifest().files()).extracting(PackManifest.FileEntry::path)
                    .contains("_sources/zebra.rst.txt", "genindex.html", "_static/basic.css", "guide.txt");
        }
        try (Library library = Library.open(tmp.resolve("data"))) {
            new PackImporter(library).importPack(zip, ProgressListener.NONE);
            assertPagesInOrder(library);
            assertSearchFindsThePage(library);
        }
    }

    @Test
    void aFormat1ZipWithoutItemsDerivesTheSameItemsWhenImported() throws IOException {
        Path site = sphinxSite(tmp.resolve("site"));
        PackManifest m = PackBuilder.manifest(site, PackBuilder.Options.of("sample", "Sample")).withItems(null);
        Path zip = tmp.resolve("s.zip");
        PackWriter.write(m, f -> Files.newInputStream(site.resolve(f.path())), zip, ProgressListener.NONE);
        try (PackArchive archive = PackArchive.open(zip)) {
            assertThat(archive.manifest().items()).isNull();
        }
        try (Library library = Library.open(tmp.resolve("data"))) {
            new PackImporter(library).importPack(zip, ProgressListener.NONE);
            assertPagesInOrder(library);
            assertSearchFindsThePage(library);
        }
    }

    @Test
    void itemsThePacksAuthorListsAreKeptAsTheyAre() throws IOException {
        Path site = sphinxSite(tmp.resolve("site"));
        List<PackManifest.ItemEntry> chosen = List.of(
                new PackManifest.ItemEntry("genindex.html", "The index", ItemKind.HTML),
                new PackManifest.ItemEntry("_sources/zebra.rst.txt", "Zebra source", ItemKind.TEXT),
                new PackManifest.ItemEntry("apple.html", "", ItemKind.HTML));
        PackManifest m = PackBuilder.manifest(site, PackBuilder.Options.of("sample", "Sample")).withItems(chosen);
        Path zip = tmp.resolve("s.zip");
        PackWriter.write(m, f -> Files.newInputStream(site.resolve(f.path())), zip, ProgressListener.NONE);
        try (Library library = Library.open(tmp.resolve("data"))) {
            new PackImporter(library).importPack(zip, ProgressListener.NONE);
            assertThat(library.catalog().items("sample")).extracting(Item::path)
                    .containsExactly("genindex.html", "_sources/zebra.rst.txt", "apple.html");
        }
    }

    @Test
    void itemsInTheFoldersPackJsonAreKeptByFormat1AndRefusedByFormat2() throws IOException {
        Path site = sphinxSite(tmp.resolve("site"));
        PackFixtures.write(site, "pack.json", "{\"items\": [{\"path\": \"genindex.html\", \"title\": \"Index\","
                + " \"kind\": \"html\"}, {\"path\": \"zebra.html\", \"title\": \"\", \"kind\": \"html\"}]}");
        Path zip = PackFixtures.build(site, "sample", "Sample", tmp.resolve("s.zip"));
        try (PackArchive archive = PackArchive.open(zip)) {
            assertThat(archive.manifest().items()).containsExactly(
                    new PackManifest.ItemEntry("genindex.html", "Index", ItemKind.HTML),
                    new PackManifest.ItemEntry("zebra.html", "", ItemKind.HTML));
        }
        assertThatThrownBy(() -> PackBuilder.buildStreamed(site, PackBuilder.Options.of("sample", "Sample"),
                tmp.resolve("s2.zip"), ProgressListener.NONE))
                .isInstanceOf(PackException.class)
                .hasMessageContaining(site.resolve("pack.json") + ": lists 'items', which a format-2 pack cannot carry");
    }

    @Test
    void linksResolveToPathsOfThePackOrToNothing() {
        assertThat(SiteOrder.resolve("a/b/page.html", "../c.html#x")).isEqualTo("a/c.html");
        assertThat(SiteOrder.resolve("a/page.html", "sub/")).isEqualTo("a/sub/index.html");
        assertThat(SiteOrder.resolve("a/page.html", "/top.html?q=1")).isEqualTo("top.html");
        assertThat(SiteOrder.resolve("page.html", "caf%C3%A9%20au%20lait+.html")).isEqualTo("café au lait+.html");
        assertThat(SiteOrder.resolve("page.html", "../../etc/passwd")).isNull();
        assertThat(SiteOrder.resolve("page.html", "https://example.org/a.html")).isNull();
        assertThat(SiteOrder.resolve("page.html", "//example.org/a.html")).isNull();
        assertThat(SiteOrder.resolve("page.html", "mailto:someone@example.org")).isNull();
        assertThat(SiteOrder.resolve("page.html", "#top")).isNull();
    }

    @Test
    void plumbingRulesKeepPagesWithSimilarNames() {
        SitePlumbing rules = SitePlumbing.inPathOrder();
        for (String page : List.of("functions.html", "index-api.html", "catalog-pg-index.html", "indexes.html",
                "classes.html", "tutorial/search.txt.html", "glossary.html", "api-index.html")) {
            assertThat(rules.excludes(page, ItemKind.HTML)).as(page).isFalse();
        }
        for (String plumbing : List.of("genindex-Q.html", "py-modindex.html", "bookindex.html", "index-all.html",
                "allclasses-index.html", "a/_sources/b.rst.txt", "x.md.txt", "_static/jquery.js", "api/search.html",
                "foo_8c_source.html", "dir_0123456789abcdef0123456789abcdef.html", "classfoo-members.html",
                "functions_func.html", "search/all_1.html", "index-files/index-3.html", "ROBOTS.TXT")) {
            assertThat(rules.excludes(plumbing, ItemKind.fromPath(plumbing).orElse(null))).as(plumbing).isTrue();
        }
        // A text file is a page's source when the page came shortly before it in path order.
        assertThat(rules.excludes("git-add.html", ItemKind.HTML)).isFalse();
        assertThat(rules.excludes("git-add.txt", ItemKind.TEXT)).isTrue();
        assertThat(rules.excludes("diff-options.txt", ItemKind.TEXT)).isFalse();
    }

    /**
     * Random sites (names that look like plumbing or not, links of every shape, in lists and in
     * text): every pack imports, and the three derivations (when packing format 1, when importing
     * format 1 without items, when importing format 2 as the files stream by) give the same items
     * in the same order, the entry page first, each document once.
     */
    @Test
    void randomSitesImportWithTheSameItemsWhereverTheyAreDerived() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(20);
        String[] folders = {"", "", "_sources/", "_static/", "docs/", "docs/a b/", "日本/", "search/"};
        String[] names = {"index", "genindex", "genindex-Q", "search", "page", "page-two", "café", "py-modindex",
                "robots", "guide", "x.rst", "classfoo-members", "all_0"};
        String[] extensions = {".html", ".html", ".htm", ".md", ".txt", ".css", ".png"};
        for (int round = 0; round < 12; round++) {
            Path site = tmp.resolve("site-" + round);
            java.util.TreeSet<String> paths = new java.util.TreeSet<>();
            paths.add("index.html");
            int count = 1 + random.nextInt(40);
            while (paths.size() < count) {
                paths.add(folders[random.nextInt(folders.length)] + names[random.nextInt(names.length)]
                        + extensions[random.nextInt(extensions.length)]);
            }
            List<String> all = List.copyOf(paths);
            for (String path : all) {
                StringBuilder page = new StringBuilder("<title>" + path + "</title><ul>");
                for (int l = random.nextInt(8); l > 0; l--) {
                    String target = all.get(random.nextInt(all.size()));
                    String href = switch (random.nextInt(6)) {
                        case 0 -> "../".repeat(1 + random.nextInt(3)) + target;
                        case 1 -> "/" + target + "#part";
                        case 2 -> "https://example.org/" + target;
                        default -> "../".repeat(path.split("/").length - 1) + target.replace(" ", "%20")
                                + (random.nextBoolean() ? "?q=1" : "");
                    };
                    String attr = random.nextInt(5) == 0 ? " accesskey=\"n\"" : "";
                    page.append(random.nextBoolean() ? "<li>" : "<p>").append("<a href=\"").append(href)
                            .append("\"").append(attr).append(">link</a>");
                }
                PackFixtures.write(site, path, page.append("</ul>").toString());
            }
            PackBuilder.Options options = PackBuilder.Options.of("random", "Random");
            Path one = PackFixtures.build(site, options, tmp.resolve("one-" + round + ".zip"));
            Path two = tmp.resolve("two-" + round + ".zip");
            PackBuilder.buildStreamed(site, options, two, ProgressListener.NONE);
            Path bare = tmp.resolve("bare-" + round + ".zip");
            PackWriter.write(PackBuilder.manifest(site, options).withItems(null),
                    f -> Files.newInputStream(site.resolve(f.path())), bare, ProgressListener.NONE);
            List<List<String>> contents = new java.util.ArrayList<>();
            for (Path zip : List.of(one, two, bare)) {
                try (Library library = Library.open(tmp.resolve("data-" + zip.getFileName()))) {
                    new PackImporter(library).importPack(zip, ProgressListener.NONE);
                    List<Item> items = library.catalog().items("random");
                    assertThat(items).extracting(Item::path).as(zip + " of " + all).startsWith("index.html")
                            .doesNotHaveDuplicates().allMatch(p -> library.catalog().file("random", p).isPresent());
                    contents.add(items.stream().map(i -> i.path() + " | " + i.title()).toList());
                }
            }
            assertThat(contents.get(1)).as("format 2 against format 1, " + all).isEqualTo(contents.get(0));
            assertThat(contents.get(2)).as("derived at import against when packing, " + all)
                    .isEqualTo(contents.get(0));
        }
    }

    private static void assertPagesInOrder(Library library) {
        List<Item> items = library.catalog().items("sample");
        assertThat(items).extracting(Item::path).containsExactlyElementsOf(CONTENTS);
        assertThat(items).extracting(Item::title).startsWith("Sample documentation — Sample 1.0",
                "Zebras — Sample 1.0");
        // Plumbing stays a file of the pack, served to the pages that use it.
        assertThat(library.catalog().file("sample", "_static/basic.css")).isPresent();
        assertThat(library.catalog().file("sample", "genindex.html")).isPresent();
    }

    private static void assertSearchFindsThePage(Library library) {
        // Every other file holding both words is plumbing: the index pages, the source copies, search helpers.
        List<SearchHit> hits = library.search().search("asyncio queue", "sample", 10, 0).hits();
        assertThat(hits).extracting(h -> h.item().path()).containsExactly("library/asyncio-queue.html");
        assertThat(library.search().search("index", "sample", 10, 0).hits())
                .extracting(h -> h.item().path()).doesNotContain("genindex.html", "py-modindex.html");
    }
}
