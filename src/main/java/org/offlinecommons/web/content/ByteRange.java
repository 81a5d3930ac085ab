package org.offlinecommons.web.content;

import java.util.Optional;

/**
 * One satisfiable byte range of a file of known size, from an HTTP {@code Range} header
 * (RFC 9110 section 14). Only single ranges are served; a multi-range request gets the whole
 * file, which the RFC allows and which no media player needs otherwise.
 */
public record ByteRange(long start, long length) {

    /** The header could not be satisfied (416). */
    public static final class Unsatisfiable extends Exception {
        Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    public long end() {
        return start + length - 1;
    }

    /**
     * The range to serve, or empty to serve the whole file (no header, a syntax this server
     * ignores, or several ranges).
     */
    public static Optional<ByteRange> parse(String header, long size) throws Unsatisfiable {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return Optional.empty();
        }
        String spec = h.substring(6).strip();
        if (spec.indexOf(',') >= 0) {
            return Optional.empty();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        try {
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return Optional.empty();
                }
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    throw new Unsatisfiable();
                }
                long len = Math.min(suffix, size);
                return Optional.of(new ByteRange(size - len, len));
            }
            long start = Long.parseLong(a);
            long end = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (start < 0 || end < start) {
                return Optional.empty(); // syntactically invalid: ignore the header
            }
            if (start >= size) {
                throw new Unsatisfiable();
            }
            end = Math.min(end, size - 1);
            return Optional.of(new ByteRange(start, end - start + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
