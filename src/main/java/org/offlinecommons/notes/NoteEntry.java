package org.offlinecommons.notes;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * One entry of a notes file.
 *
 * @param index     position in chronological order, 0-based
 * @param heading   the timestamp line as written (trimmed); {@code null} for the preamble, i.e. text
 *                  before the first timestamp
 * @param timestamp the parsed timestamp, {@code null} for the preamble or when the line cannot be
 *                  parsed into a definite instant (unknown zone abbreviation, impossible date)
 * @param title     a short human title, never blank
 * @param body      the entry text without its timestamp heading: line endings normalised to
 *                  {@code \n}, trailing whitespace and surrounding blank lines removed; may be empty
 */
public record NoteEntry(int index, String heading, OffsetDateTime timestamp, String title, String body) {

    /** Seconds are always printed: {@code OffsetDateTime.toString()} drops {@code :00}, which breaks fixed-width sorting and parsers expecting them. */
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    public NoteEntry {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0: " + index);
        }
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
    }

    /** The timestamp in ISO-8601 with its original offset, e.g. {@code 2013-03-16T12:24:56-04:00}; {@code null} without timestamp. */
    public String isoTimestamp() {
        return timestamp == null ? null : ISO.format(timestamp);
    }

    /** Whether this is the untitled text found before the first timestamp. */
    public boolean isPreamble() {
        return heading == null;
    }
}
