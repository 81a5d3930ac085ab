package org.offlinecommons.notes;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Line-level syntax shared by the parser (entry boundaries, titles) and the renderer (blocks), so
 * both agree on what an underline, a bullet or a code line is.
 */
final class NoteLines {

    /** Unix terminals and browsers' {@code <pre>} both use 8-column tab stops; matching them keeps diagrams aligned. */
    static final int TAB_STOP = 8;

    /** Indentation that turns a line into code: the classic Markdown/RST rule. A tab always reaches it. */
    static final int CODE_INDENT = 4;

    private static final Pattern BULLET = Pattern.compile("^( *)[*-] +(\\S.*)$");

    /**
     * Box-drawing characters, ASCII box corners ({@code +--}, {@code --+}), long arrows and branch
     * strokes ({@code -->}, {@code --/}, {@code --\}) only show up in diagrams, never in prose; a
     * single {@code ->} does appear in prose, so it takes two of them on one line.
     */
    private static final Pattern DIAGRAM = Pattern.compile(
            "[\\u2500-\\u257F]|\\+[-=]{2}|[-=]{2}\\+|<[-=]{2}|[-=]{2}[>/\\\\]|[/\\\\][-=]{2}|->.*->");

    /** Shell and Python REPL prompts. A bare {@code # } is not included: notes use it for asides. */
    private static final Pattern PROMPT = Pattern.compile("^(\\$|>>>) ");

    /** Three or more aligned spaces inside a line are column alignment (tables, diagrams), not prose. */
    private static final Pattern ALIGNMENT = Pattern.compile("\\S {3,}\\S");

    private static final Pattern URL_ONLY = Pattern.compile("(?i)^<?https?://\\S+?>?$");

    private NoteLines() {
    }

    /** Splits text into lines, accepting LF, CRLF and lone CR endings and a leading UTF-8 BOM. */
    static List<String> split(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        String t = text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
        return Arrays.asList(t.split("\r\n|\r|\n", -1));
    }

    static String expandTabs(String line) {
        if (line.indexOf('\t') < 0) {
            return line;
        }
        StringBuilder out = new StringBuilder(line.length() + 8);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                do {
                    out.append(' ');
                } while (out.length() % TAB_STOP != 0);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Leading columns of a line whose tabs have already been expanded. */
    static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /**
     * The repeated character if the line is a run of one of {@code chars} at least 3 long starting
     * at column 0, otherwise {@code 0}.
     */
    static char runOf(String line, String chars) {
        String s = line.stripTrailing();
        if (s.length() < 3 || chars.indexOf(s.charAt(0)) < 0) {
            return 0;
        }
        char c = s.charAt(0);
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) != c) {
                return 0;
            }
        }
        return c;
    }

    /**
     * Whether {@code line} underlines {@code above}, making it a heading. The underline must be at
     * least 3 characters of one of {@code = ~ -} and span at least three quarters of the text above:
     * authors rarely count characters exactly, but a short run of dashes under a long sentence is
     * far more likely a separator than a heading. A blank, indented (code) or bullet line above is
     * never a heading, which is what keeps {@code ---} after a blank line or under a list a rule.
     */
    static char underline(String line, String above) {
        char c = runOf(line, "=~-");
        if (c == 0 || above == null || above.isBlank()) {
            return 0;
        }
        String expanded = expandTabs(above);
        if (indent(expanded) >= CODE_INDENT || isBullet(expanded) || runOf(above, "=~-*_") != 0) {
            return 0;
        }
        String text = above.strip();
        int textLength = text.codePointCount(0, text.length());
        int length = line.stripTrailing().length();
        return length * 4 >= textLength * 3 ? c : 0;
    }

    /** A horizontal rule: a run of {@code - = ~ * _} that underlines nothing. */
    static boolean isRule(String line) {
        return runOf(line, "-=~*_") != 0;
    }

    static boolean isBullet(String expandedLine) {
        return BULLET.matcher(expandedLine.stripTrailing()).matches();
    }

    /** Matcher over a bullet line: group 1 is the indentation, group 2 the item text. */
    static Matcher bullet(String expandedLine) {
        return BULLET.matcher(expandedLine.stripTrailing());
    }

    static boolean isDiagram(String line) {
        String s = line.strip();
        return DIAGRAM.matcher(s).find()
                || PROMPT.matcher(s).find()
                || ALIGNMENT.matcher(s).find()
                || (s.startsWith("|") || s.endsWith("|"));
    }

    /** A line kept verbatim in {@code <pre>}: indented like code, or drawn like a diagram. */
    static boolean looksLikeCode(String expandedLine) {
        return indent(expandedLine) >= CODE_INDENT || isDiagram(expandedLine);
    }

    static boolean isUrlOnly(String line) {
        return URL_ONLY.matcher(line.strip()).matches();
    }
}
