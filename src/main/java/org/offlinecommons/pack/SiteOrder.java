package org.offlinecommons.pack;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;

/**
 * A website's own reading order, for the Contents of a pack whose items are derived
 * (docs/pack-format.md): the entry page's links in document order, then, read breadth-first
 * while a budget of pages lasts, the links of the pages it links to. A page's new links go
 * right after the link before them on that page, so a chapter's sections, found on the
 * chapter's page, follow the chapter, as in a book's table of contents.
 *
 * <p>Only links to files of the pack that would be items count, each once; navigation links
 * that say what they are (previous, next, up, home: {@code rel} or {@code accesskey}) are left
 * out, as they would pull a page out of its place. Memory and time are bounded: at most
 * {@link #MAX_PAGES_READ} pages are read and {@link #MAX_PATHS} paths ordered, whatever the size
 * of the pack; pages not reached come after, in path order.
 */
final class SiteOrder {

    /** Pages read for their links, the entry page included. */
    static final int MAX_PAGES_READ = 256;
    /** Paths the order holds. */
    static final int MAX_PATHS = 20_000;
    /** Bytes of a page read for its links. */
    static final int MAX_PAGE_BYTES = 2 * 1024 * 1024;

    private static final Evaluator LINKS = QueryParser.parse("a[href], area[href], frame[src], iframe[src]");
    private static final Evaluator REFRESH = QueryParser.parse("meta[http-equiv=refresh][content]");
    private static final Pattern NAVIGATION_REL = Pattern.compile(
            "(?i).*\\b(prev|previous|next|up|home|start|first|last|index|search|contents|top|parent)\\b.*");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*", Pattern.DOTALL);
    private static final Pattern REFRESH_URL = Pattern.compile("(?i)^\\s*\\d*\\s*[;,]?\\s*url\\s*=\\s*['\"]?([^'\"]+)");

    /** Reads up to {@code maxBytes} of a file of the pack; null when the pack has no such file. */
    @FunctionalInterface
    interface Pages {
        byte[] read(String path, int maxBytes) throws IOException;
    }

    /** A path in the order: a doubly linked list, each path under the page that placed it. */
    private static final class Node {
        final String path;
        Node prev;
        Node next;
        Node parent;
        int children;
        /** Placed by a link in a list (a table of contents), not by one in running text. */
        boolean listed;

        Node(String path) {
            this.path = path;
        }

        boolean isUnder(Node ancestor) {
            for (Node n = this; n != null; n = n.parent) {
                if (n == ancestor) {
                    return true;
                }
            }
            return false;
        }

        /** The last node of this one's subtree (itself if it has none). */
        Node last() {
            Node n = this;
            while (n.next != null && n.next.isUnder(this)) {
                n = n.next;
            }
            return n;
        }

        void unlink() {
            prev.next = next;
            if (next != null) {
                next.prev = prev;
            }
            parent.children--;
        }

        /** Places this node right after {@code at}, under {@code page}. */
        void linkAfter(Node at, Node page) {
            prev = at;
            next = at.next;
            if (next != null) {
                next.prev = this;
            }
            at.next = this;
            parent = page;
            page.children++;
        }
    }

    private SiteOrder() {
    }

    /**
     * The pack's paths in the site's reading order, {@code entry} first; empty without an entry.
     * Paths that are no files of the pack may be among them: callers order their items by it.
     *
     * <p>A page's link to a path already placed moves the insertion point after it (and its
     * subtree) when the page that placed it is an ancestor of this page, or this page itself: a
     * part's page lists its chapters, placed by the entry page, and the sections between them.
     * Only links in lists (tables of contents) move it or claim a path: a link in running text
     * is a cross-reference. A path first placed by a cross-reference is moved to the first list
     * that names it while it has no subtree (PostgreSQL's {@code bug-reporting.html} mentions
     * {@code runtime-config-logging.html} in its text before {@code runtime-config.html} lists it).
     */
    static List<String> of(String entry, Pages pages) throws IOException {
        if (entry == null) {
            return List.of();
        }
        Node head = new Node(entry);
        Map<String, Node> nodes = new HashMap<>();
        nodes.put(entry, head);
        ArrayDeque<String> toRead = new ArrayDeque<>();
        toRead.add(entry);
        int reads = 0;
        while (!toRead.isEmpty() && reads < MAX_PAGES_READ) {
            String path = toRead.poll();
            byte[] bytes = pages.read(path, MAX_PAGE_BYTES);
            reads++;
            if (bytes == null) {
                continue;
            }
            Node page = nodes.get(path);
            Node cursor = page.last();
            for (Link link : links(path, bytes)) {
                Node known = nodes.get(link.path());
                if (known == head || known == page) {
                    continue;
                }
                if (known != null) {
                    if (!link.listed()) {
                        continue;
                    }
                    if (page.isUnder(known.parent)) {
                        cursor = known.last();
                    } else if (!known.listed && known.children == 0 && known != cursor && !page.isUnder(known)) {
                        known.unlink();
                        known.linkAfter(cursor, page);
                        known.listed = true;
                        cursor = known;
                    }
                    continue;
                }
                if (nodes.size() >= MAX_PATHS) {
                    break;
                }
                Node n = new Node(link.path());
                n.linkAfter(cursor, page);
                n.listed = link.listed();
                nodes.put(link.path(), n);
                cursor = n;
                if (ItemKind.fromPath(link.path()).orElse(null) == ItemKind.HTML) {
                    toRead.add(link.path());
                }
            }
        }
        List<String> order = new ArrayList<>(nodes.size());
        for (Node n = head; n != null; n = n.next) {
            order.add(n.path);
        }
        return order;
    }

    /** A link of a page: the path it names, and whether it is in a list (li, dt, dd, nav) rather than in running text. */
    record Link(String path, boolean listed) {
    }

    /** The links of an HTML page to paths that could be items, in document order (repeats included). */
    static List<Link> links(String page, byte[] bytes) {
        if (ItemKind.fromPath(page).orElse(null) != ItemKind.HTML) {
            return List.of();
        }
        Document doc = Jsoup.parse(DocumentText.decode(bytes));
        List<Link> out = new ArrayList<>();
        for (Element meta : doc.select(REFRESH)) {
            var m = REFRESH_URL.matcher(meta.attr("content"));
            if (m.find()) {
                add(out, resolve(page, m.group(1)), true);
            }
        }
        for (Element a : doc.select(LINKS)) {
            if (NAVIGATION_REL.matcher(a.attr("rel")).matches() || a.hasAttr("accesskey")) {
                continue;
            }
            add(out, resolve(page, a.hasAttr("href") ? a.attr("href") : a.attr("src")), listed(a));
        }
        return out;
    }

    private static boolean listed(Element a) {
        if (!a.tagName().equals("a")) {
            return true;
        }
        for (Element e = a.parent(); e != null; e = e.parent()) {
            switch (e.normalName()) {
                case "li", "dt", "dd", "nav", "menu" -> {
                    return true;
                }
                case "p", "body" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        return false;
    }

    private static void add(List<Link> out, String path, boolean listed) {
        if (path != null && ItemKind.fromPath(path).isPresent() && !SitePlumbing.byName(path)) {
            out.add(new Link(path, listed));
        }
    }

    /** The pack path {@code href} names from the page at {@code page}; null if it leaves the pack. */
    static String resolve(String page, String href) {
        String h = href.strip();
        int cut = indexOfAny(h, '#', '?');
        if (cut >= 0) {
            h = h.substring(0, cut);
        }
        if (h.isEmpty() || h.startsWith("//") || SCHEME.matcher(h).matches()) {
            return null;
        }
        try {
            h = URLDecoder.decode(h.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (!h.startsWith("/")) {
            int slash = page.lastIndexOf('/');
            if (slash > 0) {
                parts.addAll(List.of(page.substring(0, slash).split("/")));
            }
        }
        String[] segments = h.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.remove(parts.size() - 1);
            } else if (!s.isEmpty() && !s.equals(".")) {
                parts.add(s);
            }
        }
        String last = segments[segments.length - 1];
        if (parts.isEmpty() || last.isEmpty() || last.equals(".") || last.equals("..")) {
            parts.add("index.html");
        }
        String path = String.join("/", parts);
        return PackPath.problem(path) == null ? path : null;
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
    }

}
