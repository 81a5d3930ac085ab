package org.offlinecommons.web.reading;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Markdown of a pack as a safe HTML fragment for our reader page. Pack content is untrusted:
 * raw HTML in it is shown as text, and only http(s)/mailto links survive. Relative links are
 * rewritten, because the reader page does not live at the document's own URL: a link to a
 * sibling file must still reach it, and a link to another document opens it in the reader.
 */
public final class MarkdownHtml {

    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder()
            .escapeHtml(true)
            .sanitizeUrls(true)
            .attributeProviderFactory(context -> (node, tag, attributes) -> {
                if (node instanceof Image) {
                    attributes.put("loading", "lazy");
                }
            })
            .build();
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private MarkdownHtml() {
    }

    /**
     * @param title     the title the page already shows as its h1: a leading heading saying the
     *                  same is dropped, and the document's headings move down to start at h2
     * @param itemPath  the document's path in its pack, to resolve relative links against
     * @param pathToUrl the URL at which a pack path (already resolved, no fragment) is shown
     */
    public static String render(String markdown, String title, String itemPath, UnaryOperator<String> pathToUrl) {
        Node document = PARSER.parse(markdown);
        if (document.getFirstChild() instanceof Heading first && text(first).strip().equals(title.strip())) {
            first.unlink();
        }
        int[] topLevel = {6};
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                topLevel[0] = Math.min(topLevel[0], heading.getLevel());
            }
        });
        // The page's h1 is the title: the document's top headings become h2, keeping their nesting.
        int shift = Math.max(0, 2 - topLevel[0]);
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                heading.setLevel(Math.min(6, heading.getLevel() + shift));
                visitChildren(heading);
            }

            @Override
            public void visit(Link link) {
                link.setDestination(rewrite(link.getDestination(), itemPath, pathToUrl, false));
                visitChildren(link);
            }

            @Override
            public void visit(Image image) {
                String destination = image.getDestination();
                if (isRemote(destination)) {
                    // The school has no internet: a remote picture would only stall the page.
                    // Its description stays, as a link for whoever is online.
                    Link link = new Link(destination, image.getTitle());
                    moveChildren(image, link);
                    if (link.getFirstChild() == null) {
                        link.appendChild(new Text(destination));
                    }
                    image.insertAfter(link);
                    image.unlink();
                    return;
                }
                image.setDestination(rewrite(destination, itemPath, pathToUrl, true));
            }
        });
        return RENDERER.render(document);
    }

    private static String text(Node node) {
        StringBuilder out = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
                out.append(text.getLiteral());
            }

            @Override
            public void visit(Code code) {
                out.append(code.getLiteral());
            }
        });
        return out.toString();
    }

    private static void moveChildren(Node from, Node to) {
        Node child = from.getFirstChild();
        while (child != null) {
            Node next = child.getNext();
            to.appendChild(child);
            child = next;
        }
    }

    private static boolean isRemote(String destination) {
        if (destination == null) {
            return false;
        }
        String d = destination.strip().toLowerCase(Locale.ROOT);
        return d.startsWith("http:") || d.startsWith("https:") || d.startsWith("//");
    }

    public static String rewrite(String destination, String itemPath, UnaryOperator<String> pathToUrl, boolean image) {
        if (destination == null || destination.isBlank() || destination.startsWith("#")) {
            return destination;
        }
        String d = destination.strip();
        if (d.startsWith("//")) {
            return d;
        }
        if (SCHEME.matcher(d).find()) {
            String scheme = d.substring(0, d.indexOf(':')).toLowerCase(Locale.ROOT);
            boolean allowed = scheme.equals("http") || scheme.equals("https")
                    || (!image && scheme.equals("mailto"))
                    || (image && d.toLowerCase(Locale.ROOT).startsWith("data:image/") && !d.contains("svg"));
            return allowed ? d : "";
        }
        String fragment = "";
        int hash = d.indexOf('#');
        if (hash >= 0) {
            fragment = d.substring(hash);
            d = d.substring(0, hash);
        }
        int query = d.indexOf('?');
        if (query >= 0) {
            d = d.substring(0, query);
        }
        if (d.isEmpty()) {
            return fragment.isEmpty() ? "" : fragment;
        }
        String resolved = resolve(itemPath, decode(d));
        return resolved == null ? "" : pathToUrl.apply(resolved) + fragment;
    }

    /** The pack path a link points to, or null when it climbs out of the pack. */
    public static String resolve(String itemPath, String link) {
        Deque<String> segments = new ArrayDeque<>();
        if (!link.startsWith("/")) {
            int slash = itemPath.lastIndexOf('/');
            if (slash > 0) {
                for (String s : itemPath.substring(0, slash).split("/")) {
                    segments.addLast(s);
                }
            }
        }
        for (String s : link.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (segments.isEmpty()) {
                    return null;
                }
                segments.removeLast();
            } else {
                segments.addLast(s);
            }
        }
        return segments.isEmpty() ? null : String.join("/", segments);
    }

    private static String decode(String path) {
        try {
            // URLDecoder is for forms: protect '+', which in a path is just a plus sign.
            return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }
}
