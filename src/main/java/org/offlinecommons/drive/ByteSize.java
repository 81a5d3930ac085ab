package org.offlinecommons.drive;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as admins type them: "64MB", "1.5 GB", "512MiB", "0". */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?)b?");

    private ByteSize() {
    }

    /**
     * Parses a size. K, M, G and T are decimal (as drives are sold and as sizes are shown);
     * KiB, MiB, GiB and TiB are binary.
     *
     * @throws IllegalArgumentException with a message saying what is accepted
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || (!m.group(3).isEmpty() && m.group(2).isEmpty())) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write it like 500MB, 2GB or 64MiB");
        }
        int power = " kmgt".indexOf(m.group(2).isEmpty() ? ' ' : m.group(2).charAt(0));
        double unit = Math.pow(m.group(3).isEmpty() ? 1000 : 1024, power);
        double bytes = Double.parseDouble(m.group(1)) * unit;
        if (bytes >= Long.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return (long) bytes;
    }
}
