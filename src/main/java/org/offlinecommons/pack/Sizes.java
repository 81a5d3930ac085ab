package org.offlinecommons.pack;

import java.util.Locale;

/** Byte counts as people read them. */
public final class Sizes {
    private Sizes() {
    }

    /** 1536 becomes "1.5 KB"; decimal units, as drives and shops use them. */
    public static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
