package org.offlinecommons.pack;

import java.util.Set;
import org.jsoup.parser.Parser;

/**
 * The title and the visible text of an HTML page, read in one pass over its characters without
 * building a DOM.
 *
 * <p>Importing a website reads every page: jsoup's full parse (a tree of nodes, then a walk to
 * collect its text) cost ~5 s of CPU for the 10,000 pages of the 1 GB bench pack, a fifth of
 * the import. This gives what that parse gave ({@code Document.title()}, else the first h1-h3,
 * and the body's {@code text()} without script, style, noscript, template and head), following
 * the HTML tokenizer's rules where they decide which characters are text: comments, raw-text
 * and RCDATA elements, quoted attribute values, entities (decoded by jsoup's own table), block
 * elements separating words and inline ones not. It never runs markup; it only copies text, so
 * hostile pages can at worst give odd words. Where a broken page's tree would differ (misnested
 * elements that the tree builder moves around), the words may land in a different order.
 */
final class HtmlText {

    /** Elements whose content is raw text, never markup, and never shown as text. */
    private static final Set<String> RAW = Set.of("script", "style", "xmp", "iframe", "noembed", "noframes");
    /** Elements whose content is text (entities decoded) but never markup. */
    private static final Set<String> RCDATA = Set.of("title", "textarea");
    /** Elements removed with their content before the text is taken. */
    private static final Set<String> DROPPED = Set.of("noscript", "template");
    /** Elements that may stand in a page's head; anything else starts its body. */
    private static final Set<String> HEAD = Set.of("html", "head", "base", "basefont", "bgsound", "link", "meta",
            "title", "noscript", "noframes", "style", "script", "template");
    /** Elements jsoup's text() separates from their neighbours by a space (its block tags, br, iframe). */
    private static final Set<String> BLOCK = Set.of("html", "head", "body", "frameset", "script", "noscript",
            "style", "meta", "link", "title", "frame", "noframes", "section", "nav", "aside", "hgroup", "header",
            "footer", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "div", "blockquote", "hr",
            "address", "figure", "figcaption", "form", "fieldset", "ins", "del", "dl", "dt", "dd", "li", "table",
            "caption", "thead", "tfoot", "tbody", "colgroup", "col", "tr", "th", "td", "video", "audio", "canvas",
            "details", "menu", "plaintext", "template", "article", "main", "svg", "math", "center", "dir",
            "applet", "marquee", "listing", "search", "iframe", "br");

    private final String html;
    private final int maxChars;
    private final StringBuilder text = new StringBuilder();
    private boolean lastWasSpace = true;
    private String title;
    private boolean bodyStarted;
    /** Depth inside noscript/template elements, whose text is left out. */
    private int dropped;
    private int headingStart = -1;
    private String heading;
    private int pos;

    private HtmlText(String html, int maxChars) {
        this.html = html;
        this.maxChars = maxChars;
    }

    /** What {@link #read} found: {@code title} is the page's title, else its first h1-h3, else "". */
    record Result(String title, String text) {
    }

    static Result read(String html, int maxChars) {
        HtmlText r = new HtmlText(html.startsWith("\uFEFF") ? html.substring(1) : html, maxChars);
        r.scan();
        return r.result();
    }

    private Result result() {
        if (headingStart >= 0 && heading == null) {
            heading = text.substring(headingStart);
        }
        String t = title != null && !title.isEmpty() ? title : heading == null ? "" : heading.strip();
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        String body = text.substring(0, Math.min(end, maxChars));
        return new Result(t.strip(), body);
    }

    private void scan() {
        int n = html.length();
        while (pos < n) {
            int lt = html.indexOf('<', pos);
            int textEnd = lt < 0 ? n : lt;
            if (textEnd > pos) {
                text(pos, textEnd);
            }
            if (lt < 0) {
                return;
            }
            pos = lt;
            tag();
        }
    }

    /** Handles the markup at {@code pos} (a '<'), moving {@code pos} past it. */
    private void tag() {
        int n = html.length();
        int i = pos + 1;
        if (i >= n) {
            text(pos, n);
            pos = n;
            return;
        }
        char c = html.charAt(i);
        if (c == '!') {
            if (html.startsWith("--", i + 1)) {
                pos = commentEnd(i + 3);
            } else {
                pos = afterGt(i);
            }
            return;
        }
        if (c == '?') {
            pos = afterGt(i);
            return;
        }
        boolean end = c == '/';
        int nameStart = end ? i + 1 : i;
        if (nameStart >= n) {
            text(pos, n);
            pos = n;
            return;
        }
        if (!isAsciiLetter(html.charAt(nameStart))) {
            if (end) {
                pos = html.charAt(nameStart) == '>' ? nameStart + 1 : afterGt(nameStart);
            } else {
                text(pos, pos + 1); // a lone '<' is text
                pos = pos + 1;
            }
            return;
        }
        int nameEnd = nameStart;
        while (nameEnd < n && !isTagNameEnd(html.charAt(nameEnd))) {
            nameEnd++;
        }
        String name = lower(html.substring(nameStart, nameEnd));
        int after = attributesEnd(nameEnd);
        if (after < 0) {
            pos = n; // a tag cut off by the end of the page is dropped, as the tokenizer does
            return;
        }
        pos = after;
        if (end) {
            endTag(name);
        } else {
            startTag(name);
        }
    }

    private void startTag(String name) {
        if (!bodyStarted && !HEAD.contains(name)) {
            bodyStarted = true;
        }
        if (isHeading(name)) {
            closeHeading();
            if (heading == null && headingStart < 0 && dropped == 0 && name.charAt(1) <= '3') {
                separate();
                headingStart = text.length();
                return;
            }
        }
        if (RAW.contains(name)) {
            pos = rawEnd(name);
            if (BLOCK.contains(name) && !name.equals("script") && !name.equals("style")) {
                separate();
            }
            return;
        }
        if (name.equals("title") && !bodyStarted) {
            int close = rawStart(name);
            if (title == null) {
                title = normalise(decode(html.substring(pos, close)));
            }
            pos = rawEnd(name);
            return;
        }
        if (RCDATA.contains(name)) {
            separateIfBlock(name);
            int close = rawStart(name);
            text(pos, close);
            pos = rawEnd(name);
            separateIfBlock(name);
            return;
        }
        if (name.equals("plaintext")) {
            separate();
            text(pos, html.length());
            pos = html.length();
            return;
        }
        if (DROPPED.contains(name)) {
            dropped++;
            return;
        }
        separateIfBlock(name);
    }

    private void endTag(String name) {
        if (isHeading(name)) {
            closeHeading();
        }
        if (DROPPED.contains(name)) {
            if (dropped > 0) {
                dropped--;
            }
            return;
        }
        separateIfBlock(name);
    }

    private static boolean isHeading(String name) {
        return name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6';
    }

    private void closeHeading() {
        if (headingStart >= 0 && heading == null) {
            heading = text.substring(headingStart);
        }
    }

    private void separateIfBlock(String name) {
        if (BLOCK.contains(name)) {
            separate();
        }
    }

    private void separate() {
        if (dropped == 0 && !lastWasSpace) {
            text.append(' ');
            lastWasSpace = true;
        }
    }

    /** Appends characters {@code from..to} of the page as text: entities decoded, whitespace collapsed. */
    private void text(int from, int to) {
        if (dropped > 0) {
            return;
        }
        if (!bodyStarted) {
            for (int i = from; i < to; i++) {
                if (!isWhitespace(html.charAt(i))) {
                    bodyStarted = true;
                    break;
                }
            }
            if (!bodyStarted) {
                return;
            }
        }
        if (text.length() > maxChars && (heading != null || headingStart < 0)) {
            return;
        }
        String s = html;
        int start = from;
        int end = to;
        if (holdsAmpersand(from, to)) {
            s = decode(html.substring(from, to));
            start = 0;
            end = s.length();
        }
        // Runs of ordinary characters are copied whole: appending char by char cost more than
        // finding the tags.
        int run = start;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            boolean space = isWhitespace(c);
            if (space || c == '\u200B' || c == '\u00AD' || c == '\u0000') {
                if (i > run) {
                    text.append(s, run, i);
                    lastWasSpace = false;
                }
                run = i + 1;
                if (space && !lastWasSpace) {
                    text.append(' ');
                    lastWasSpace = true;
                }
            }
        }
        if (end > run) {
            text.append(s, run, end);
            lastWasSpace = false;
        }
    }

    private boolean holdsAmpersand(int from, int to) {
        for (int i = from; i < to; i++) {
            if (html.charAt(i) == '&') {
                return true;
            }
        }
        return false;
    }

    /** jsoup's whitespace when it normalises text: HTML's, and the no-break space. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\u00A0';
    }

    private static String normalise(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isWhitespace(c)) {
                if (!space) {
                    out.append(' ');
                    space = true;
                }
            } else if (c != '\u200B' && c != '\u00AD' && c != '\u0000') {
                out.append(c);
                space = false;
            }
        }
        return out.toString().strip();
    }

    private static String decode(String s) {
        return s.indexOf('&') < 0 ? s : Parser.unescapeEntities(s, false);
    }

    /** Where a comment whose text starts at {@code from} ends ("-->", or "--!>"), past it. */
    private int commentEnd(int from) {
        int n = html.length();
        // "<!-->" and "<!--->" are whole (empty) comments.
        if (from < n && html.charAt(from) == '>') {
            return from + 1;
        }
        if (from + 1 < n && html.charAt(from) == '-' && html.charAt(from + 1) == '>') {
            return from + 2;
        }
        int close = html.indexOf("--", from);
        while (close >= 0) {
            if (close + 2 < n && html.charAt(close + 2) == '>') {
                return close + 3;
            }
            if (close + 3 < n && html.charAt(close + 2) == '!' && html.charAt(close + 3) == '>') {
                return close + 4;
            }
            close = html.indexOf("--", close + 1);
        }
        return n;
    }

    /** Just past the next '>' from {@code from}, or the end of the page. */
    private int afterGt(int from) {
        int gt = html.indexOf('>', from);
        return gt < 0 ? html.length() : gt + 1;
    }

    /**
     * Just past the '>' that ends a tag whose attributes start at {@code from}; a quoted value
     * may hold '>'. -1 if the page ends first.
     */
    private int attributesEnd(int from) {
        int n = html.length();
        int i = from;
        while (i < n) {
            char c = html.charAt(i);
            if (c == '>') {
                return i + 1;
            }
            if (c == '=') {
                i++;
                while (i < n && isWhitespace(html.charAt(i)) && html.charAt(i) != '\u00A0') {
                    i++;
                }
                if (i < n && (html.charAt(i) == '"' || html.charAt(i) == '\'')) {
                    int close = html.indexOf(html.charAt(i), i + 1);
                    if (close < 0) {
                        return -1;
                    }
                    i = close + 1;
                }
                continue;
            }
            i++;
        }
        return -1;
    }

    /** Where the end tag of raw-text element {@code name} starts, from {@code pos}; the page's end if none. */
    private int rawStart(String name) {
        int n = html.length();
        int i = pos;
        while (true) {
            int lt = html.indexOf("</", i);
            if (lt < 0) {
                return n;
            }
            int e = lt + 2 + name.length();
            if (e <= n && html.regionMatches(true, lt + 2, name, 0, name.length())
                    && (e == n || isTagNameEnd(html.charAt(e)))) {
                return lt;
            }
            i = lt + 2;
        }
    }

    /** Just past the end tag of raw-text element {@code name}, or the page's end. */
    private int rawEnd(String name) {
        int start = rawStart(name);
        if (start >= html.length()) {
            return html.length();
        }
        int after = attributesEnd(start + 2 + name.length());
        return after < 0 ? html.length() : after;
    }

    private static boolean isTagNameEnd(char c) {
        return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String lower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return s.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return s;
    }
}
