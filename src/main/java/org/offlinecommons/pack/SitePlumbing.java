package org.offlinecommons.pack;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells a website's pages from its plumbing when a pack's items are derived (docs/pack-format.md,
 * "When items is absent"): the copies of each page's source a generator ships beside it, its
 * assets, the helper files of its own search and the index pages it generates. They stay files
 * of the pack, served to the pages that use them, but they are no items: a reader browsing
 * Contents or searching wants the site's pages, and a generated index that merely lists a word
 * would otherwise be found before the page about it.
 *
 * <p>The rules are by name, from what Sphinx, MkDocs, Javadoc, Doxygen and DocBook produce, kept
 * narrow enough that a page of another site with a similar name stays (PostgreSQL's manual has
 * real pages named {@code functions.html} and {@code catalog-pg-index.html}). One rule needs the
 * neighbours: a text file beside a page of the same name ({@code git-add.txt} next to
 * {@code git-add.html}, as AsciiDoc sites ship) is that page's source. In path order the page
 * comes first ({@code .html} sorts before {@code .md} and {@code .txt}), so an instance fed the
 * paths in order remembers the last pages' names only, in bounded memory.
 */
final class SitePlumbing {

    /** Folders that hold only plumbing: Sphinx's source copies, assets, module source listings; Javadoc's index. */
    private static final Set<String> FOLDERS = Set.of("_sources", "_static", "_modules", "_images", "index-files",
            "script-dir");

    /** Files by their exact name (lower case). */
    private static final Set<String> NAMES = Set.of(
            // Search-engine and crawler helpers.
            "search.html", "searchindex.js", "objects.inv", "opensearch.xml", "sitemap.xml", "robots.txt",
            "humans.txt", "security.txt", "ads.txt", ".buildinfo", "404.html",
            // Generated indexes: Sphinx, DocBook (PostgreSQL), Javadoc, Doxygen.
            "genindex.html", "modindex.html", "bookindex.html", "index-all.html", "allclasses.html",
            "allclasses-index.html", "allclasses-frame.html", "allclasses-noframe.html", "allpackages-index.html",
            "overview-frame.html", "package-frame.html", "overview-tree.html", "package-tree.html",
            "deprecated-list.html", "help-doc.html", "graph_legend.html", "namespacemembers.html");

    /** Files by a pattern of their name (lower case). */
    private static final Pattern NAME_PATTERNS = Pattern.compile(String.join("|",
            "genindex-.*\\.html", // Sphinx's index split by letter
            "[a-z0-9]+-modindex\\.html", // Sphinx's module indexes (py-modindex.html)
            "ix[0-9]+\\.html", // DocBook's default name for its index
            ".*\\.(rst|md|rest)\\.txt", // Sphinx's source copies, wherever they are
            ".*_8[a-z0-9]+_source\\.html", // Doxygen's source listings (foo_8c_source.html)
            "dir_[0-9a-f]{32}\\.html", // Doxygen's folder listings
            "(class|struct|union|interface).*-members\\.html", // Doxygen's member lists
            "(functions|globals|namespacemembers)_[a-z0-9]+\\.html")); // Doxygen's member indexes

    /** Doxygen's search result pages (search/all_0.html). */
    private static final Pattern DOXYGEN_SEARCH = Pattern.compile("(.*/)?search/[a-z]+_[0-9a-f]+\\.html");

    /** Pages remembered for the source-beside-its-page rule when paths come in order. */
    private static final int RECENT_PAGES = 256;

    private final Map<String, Boolean> pageStems;

    /** For paths given in path order: remembers the last pages only. */
    static SitePlumbing inPathOrder() {
        return new SitePlumbing(RECENT_PAGES);
    }

    /** For a pack whose every path is given first, to {@link #sawPage}, in any order (format 1). */
    static SitePlumbing remembering() {
        return new SitePlumbing(Integer.MAX_VALUE);
    }

    private SitePlumbing(int capacity) {
        this.pageStems = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Whether a file is plumbing by its path alone. */
    static boolean byName(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        int slash = lower.lastIndexOf('/');
        String name = lower.substring(slash + 1);
        if (NAMES.contains(name) || NAME_PATTERNS.matcher(name).matches() || DOXYGEN_SEARCH.matcher(lower).matches()) {
            return true;
        }
        if (slash > 0) {
            for (String folder : lower.substring(0, slash).split("/")) {
                if (FOLDERS.contains(folder)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Notes that {@code path} is a file of the pack, so that a later source copy beside it is known. */
    void sawPage(String path) {
        if (ItemKind.fromPath(path).orElse(null) == ItemKind.HTML) {
            pageStems.put(stem(path), Boolean.TRUE);
        }
    }

    /**
     * Whether the file at {@code path}, of the kind {@code kind}, is plumbing rather than an item.
     * With {@link #inPathOrder}, call it for every file, in path order: it remembers the pages.
     */
    boolean excludes(String path, ItemKind kind) {
        sawPage(path);
        if (byName(path)) {
            return true;
        }
        return (kind == ItemKind.TEXT || kind == ItemKind.MARKDOWN || kind == ItemKind.NOTES)
                && pageStems.containsKey(stem(path));
    }

    private static String stem(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash + 1 ? path.substring(0, dot) : path;
    }
}
