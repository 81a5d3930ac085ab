package org.offlinecommons.cli;

/**
 * Text from outside (file and entry names, peers' answers) made safe to print to a terminal or a
 * log: a control character could clear the admin's screen or retitle the window ({@code ESC [2J},
 * {@code ESC ]0;}), a line break could forge a log line, a bidi override could make a name read
 * otherwise. Each is shown as its Java escape ({@code \u001b}) instead; the rest is kept as is.
 */
public final class TerminalText {

    private TerminalText() {
    }

    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (unsafe(ch)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) ch));
            } else if (out != null) {
                out.append(ch);
            }
        }
        return out == null ? text : out.toString();
    }

    /** C0 and C1 controls, DEL, line and paragraph separators, bidi overrides and isolates. */
    static boolean unsafe(char ch) {
        return ch < 0x20 || ch >= 0x7f && ch <= 0x9f || ch == 0x2028 || ch == 0x2029
                || ch >= 0x202a && ch <= 0x202e || ch >= 0x2066 && ch <= 0x2069;
    }
}
