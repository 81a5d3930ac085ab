package org.offlinecommons.web.http;

import java.util.Locale;

/** What a client's {@code Accept-Encoding} allows, for answers kept already compressed. */
public final class AcceptEncoding {

    private AcceptEncoding() {
    }

    /**
     * Whether {@code header} accepts gzip: named without {@code q=0}, or else allowed by {@code *}.
     * Browsers send {@code gzip, deflate, br}; a client that refuses gzip says {@code gzip;q=0}.
     */
    public static boolean gzip(String header) {
        if (header == null) {
            return false;
        }
        Boolean any = null;
        for (String part : header.toLowerCase(Locale.ROOT).split(",")) {
            String[] fields = part.split(";");
            String coding = fields[0].strip();
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return !refused(fields);
            }
            if (coding.equals("*")) {
                any = !refused(fields);
            }
        }
        return any != null && any;
    }

    private static boolean refused(String[] fields) {
        for (int i = 1; i < fields.length; i++) {
            String f = fields[i].strip();
            if (f.startsWith("q=")) {
                try {
                    return Double.parseDouble(f.substring(2).strip()) <= 0;
                } catch (NumberFormatException e) {
                    return true; // unreadable: send it plain, which every client reads
                }
            }
        }
        return false;
    }
}
