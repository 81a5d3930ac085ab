package org.offlinecommons.pack;

import java.nio.charset.StandardCharsets;
import org.commonmark.node.Heading;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.text.TextContentRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;

/** Titles and searchable text read from a document's bytes. */
final class DocumentText {

    /** Text beyond this is not indexed: a search hit needs only part of a very long document. */
    static final int MAX_TEXT_CHARS = 512 * 1024;
    /** Headings beyond this are not weighed apart (they stay in the text). */
    private static final int MAX_HEADING_CHARS = 16 * 1024;
    private static final Parser MARKDOWN = Parser.builder().build();
    private static final TextContentRenderer MARKDOWN_TEXT = TextContentRenderer.builder().build();
    /*
     * Parsed once: jsoup parses a selector string on every call, and for 10,000 pages that parsing
     * was hot enough for the JIT to spend ~1 s of a 20 s import compiling it (docs/performance.md).
     */
    private static final Evaluator HEADINGS = QueryParser.parse("h1, h2, h3");
    private static final Evaluator NOT_TEXT = QueryParser.parse("script, style, noscript, template, head");

    private DocumentText() {
    }

    /**
     * A document's title, headings (h1-h3, Markdown's # headings; one a line) and text;
     * {@code title} is empty when the document names none. {@code listing}: the page is mostly
     * links (an index, a table of contents), so its words say little about what it is about.
     */
    record Extract(String title, String headings, String text, boolean listing) {
        Extract(String title, String text) {
            this(title, "", text, false);
        }
    }

    /** A page whose link text is at least this share of its text, with enough links, is a listing. */
    private static final double LISTING_LINK_SHARE = 0.6;
    private static final int LISTING_MIN_LINKS = 20;
    private static final Evaluator LINKS = QueryParser.parse("a[href]");

    static Extract extract(ItemKind kind, byte[] bytes) {
        return switch (kind) {
            case HTML -> html(bytes);
            case MARKDOWN -> markdown(decode(bytes));
            case TEXT, NOTES -> new Extract("", limit(decode(bytes)));
            default -> new Extract("", "");
        };
    }

    private static Extract html(byte[] bytes) {
        Document doc = Jsoup.parse(new String(bytes, StandardCharsets.UTF_8));
        String title = doc.title().strip();
        if (title.isEmpty()) {
            Element h = doc.selectFirst(HEADINGS);
            if (h != null) {
                title = h.text().strip();
            }
        }
        doc.select(NOT_TEXT).remove();
        StringBuilder headings = new StringBuilder();
        Element root = doc.body() == null ? doc : doc.body();
        for (Element h : root.select(HEADINGS)) {
            if (headings.length() < MAX_HEADING_CHARS) {
                headings.append(h.text()).append('\n');
            }
        }
        String text = root.text();
        long linkChars = 0;
        int links = 0;
        for (Element a : root.select(LINKS)) {
            links++;
            linkChars += a.text().length();
        }
        boolean listing = links >= LISTING_MIN_LINKS && linkChars >= LISTING_LINK_SHARE * text.length();
        return new Extract(title, headings.toString(), limit(text), listing);
    }

    private static Extract markdown(String text) {
        Node doc = MARKDOWN.parse(text);
        String[] title = {""};
        StringBuilder headings = new StringBuilder();
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                String h = MARKDOWN_TEXT.render(heading).strip();
                if (title[0].isEmpty()) {
                    title[0] = h;
                }
                if (heading.getLevel() <= 3 && headings.length() < MAX_HEADING_CHARS) {
                    headings.append(h).append('\n');
                }
            }
        });
        return new Extract(title[0], headings.toString(), limit(MARKDOWN_TEXT.render(doc)), false);
    }

    static String decode(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String limit(String s) {
        return s.length() <= MAX_TEXT_CHARS ? s : s.substring(0, MAX_TEXT_CHARS);
    }

    /**
     * Whether a path names a generated index page (Sphinx's genindex-Q.html, py-modindex.html,
     * and the like): a listing whatever its links.
     */
    static boolean isIndexPath(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
        return name.startsWith("genindex") || name.contains("modindex");
    }

    /** "intro_to-algebra.html" becomes "intro to algebra". */
    static String titleFromPath(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            name = name.substring(0, dot);
        }
        String t = name.replace('_', ' ').replace('-', ' ').strip();
        return t.isEmpty() ? path : t;
    }
}
