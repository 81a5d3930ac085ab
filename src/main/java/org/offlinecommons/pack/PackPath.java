package org.offlinecommons.pack;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The rules for a path inside a pack. They hold whatever the source (zip entry, manifest, peer,
 * URL), so that no pack can name a file outside its own tree on any operating system.
 */
public final class PackPath {

    /** Long enough for ZIM paths: Wikipedia titles reach 255 characters, up to 1020 bytes of UTF-8. */
    public static final int MAX_BYTES = 1024;
    private static final Pattern DRIVE_LETTER = Pattern.compile("^[A-Za-z]:");

    private PackPath() {
    }

    /** Why {@code path} is not a valid pack path, or null if it is. */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "the path is empty";
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "the path is longer than " + MAX_BYTES + " bytes";
        }
        if (path.startsWith("/")) {
            return "the path is absolute (starts with '/')";
        }
        if (path.indexOf('\\') >= 0) {
            return "the path contains a backslash";
        }
        if (DRIVE_LETTER.matcher(path).find()) {
            return "the path starts with a drive letter";
        }
        for (int i = 0; i < path.length(); i++) {
            char ch = path.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                return "the path contains a control character";
            }
            if (ch >= 0x80 && ch <= 0x9f) {
                // C1 controls: U+009B is a terminal's CSI, U+0085 a line break to some readers.
                return "the path contains a control character (" + String.format("U+%04X", (int) ch) + ")";
            }
            if (ch >= 0x202a && ch <= 0x202e || ch >= 0x2066 && ch <= 0x2069) {
                // They make a name read otherwise than it is ("txt.exe" shown as "exe.txt").
                return "the path contains a bidirectional override (" + String.format("U+%04X", (int) ch) + ")";
            }
            if (Character.isSurrogate(ch) && !validSurrogatePair(path, i)) {
                return "the path is not valid UTF-8 text";
            }
        }
        if (path.endsWith("/")) {
            return "the path ends with '/' (a folder, not a file)";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "the path has an empty segment ('//')";
            }
            if (segment.equals("..")) {
                return "the path contains a '..' segment";
            }
            if (segment.equals(".")) {
                return "the path contains a '.' segment";
            }
        }
        return null;
    }

    public static boolean isValid(String path) {
        return problem(path) == null;
    }

    private static boolean validSurrogatePair(String s, int i) {
        char ch = s.charAt(i);
        if (Character.isHighSurrogate(ch)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
