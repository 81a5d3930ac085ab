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

    /** A document's title and text; {@code title} is empty when the document names none. */
    record Extract(String title, String text) {
    }

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
        return new Extract(title, limit(doc.body() == null ? doc.text() : doc.body().text()));
    }

    private static Extract markdown(String text) {
        Node doc = MARKDOWN.parse(text);
        String[] title = {""};
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                if (title[0].isEmpty()) {
                    title[0] = MARKDOWN_TEXT.render(heading).strip();
                }
            }
        });
        return new Extract(title[0], limit(MARKDOWN_TEXT.render(doc)));
    }

    static String decode(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String limit(String s) {
        return s.length() <= MAX_TEXT_CHARS ? s : s.substring(0, MAX_TEXT_CHARS);
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
