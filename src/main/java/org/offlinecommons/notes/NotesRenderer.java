package org.offlinecommons.notes;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an entry body into an HTML fragment and into search text.
 *
 * <p>Note text is untrusted: every character of it is escaped, and the only markup that comes
 * from the text is an {@code <a>} around an http(s) URL, whose {@code href} is escaped too.
 */
public final class NotesRenderer {

    private static final Pattern URL = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"'`]+");
    private static final Pattern WHITESPACE = Pattern.compile("(?U)\\s+");

    private NotesRenderer() {
    }

    /**
     * An HTML fragment (no {@code <html>}/{@code <body>}): underlined headings as {@code <h2>}..,
     * bullets as nested {@code <ul>}, code and diagrams as {@code <pre>}, other text as {@code <p>}
     * with its line breaks kept as {@code <br>}.
     */
    public static String toHtml(String body) {
        StringBuilder html = new StringBuilder();
        for (NoteBlock block : NoteBlockReader.read(body)) {
            if (!html.isEmpty()) {
                html.append('\n');
            }
            render(block, html);
        }
        return html.toString();
    }

    /** The words of the body for full-text search: markup and underlines dropped, whitespace collapsed to single spaces. */
    public static String plainText(String body) {
        StringBuilder text = new StringBuilder();
        for (NoteBlock block : NoteBlockReader.read(body)) {
            if (block instanceof NoteBlock.Heading h) {
                text.append(h.text()).append(' ');
            } else if (block instanceof NoteBlock.Paragraph p) {
                p.lines().forEach(l -> text.append(l).append(' '));
            } else if (block instanceof NoteBlock.BulletList l) {
                appendItems(l.items(), text);
            } else if (block instanceof NoteBlock.Code c) {
                c.lines().forEach(l -> text.append(l).append(' '));
            }
        }
        return WHITESPACE.matcher(text).replaceAll(" ").strip();
    }

    private static void appendItems(List<NoteBlock.Item> items, StringBuilder text) {
        for (NoteBlock.Item item : items) {
            item.lines().forEach(l -> text.append(l).append(' '));
            appendItems(item.children(), text);
        }
    }

    private static void render(NoteBlock block, StringBuilder html) {
        if (block instanceof NoteBlock.Heading h) {
            html.append("<h").append(h.level()).append('>')
                    .append(inline(h.text()))
                    .append("</h").append(h.level()).append('>');
        } else if (block instanceof NoteBlock.Paragraph p) {
            html.append("<p>").append(lines(p.lines())).append("</p>");
        } else if (block instanceof NoteBlock.BulletList l) {
            renderItems(l.items(), html);
        } else if (block instanceof NoteBlock.Code c) {
            html.append("<pre>").append(inline(String.join("\n", c.lines()))).append("</pre>");
        } else if (block instanceof NoteBlock.Rule) {
            html.append("<hr>");
        }
    }

    private static void renderItems(List<NoteBlock.Item> items, StringBuilder html) {
        html.append("<ul>\n");
        for (NoteBlock.Item item : items) {
            html.append("<li>").append(lines(item.lines()));
            if (!item.children().isEmpty()) {
                html.append('\n');
                renderItems(item.children(), html);
            }
            html.append("</li>\n");
        }
        html.append("</ul>");
    }

    private static String lines(List<String> lines) {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (!out.isEmpty()) {
                out.append("<br>\n");
            }
            out.append(inline(line));
        }
        return out.toString();
    }

    /** Escapes text and links the http(s) URLs in it. */
    private static String inline(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        Matcher m = URL.matcher(text);
        int done = 0;
        while (m.find()) {
            String url = trimUrl(m.group());
            if (url.indexOf("://") + 3 >= url.length()) {
                continue;
            }
            escape(text.substring(done, m.start()), out);
            out.append("<a href=\"");
            escape(url, out);
            out.append("\">");
            escape(url, out);
            out.append("</a>");
            done = m.start() + url.length();
        }
        escape(text.substring(done), out);
        return out.toString();
    }

    /**
     * Drops sentence punctuation that follows a URL in prose. A closing bracket is kept when the
     * URL opened it, as in {@code https://en.wikipedia.org/wiki/Python_(programming_language)}.
     */
    private static String trimUrl(String url) {
        int end = url.length();
        while (end > 0) {
            char c = url.charAt(end - 1);
            boolean strip = switch (c) {
                case '.', ',', ';', ':', '!', '?' -> true;
                case ')' -> count(url, end, '(') < count(url, end, ')');
                case ']' -> count(url, end, '[') < count(url, end, ']');
                default -> false;
            };
            if (!strip) {
                break;
            }
            end--;
        }
        return url.substring(0, end);
    }

    private static int count(String s, int end, char c) {
        int n = 0;
        for (int i = 0; i < end; i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }
}
