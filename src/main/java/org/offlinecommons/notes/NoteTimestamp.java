package org.offlinecommons.notes;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Timestamp lines as printed by Unix {@code date} ({@code Sat Mar 16 12:24:56 EDT 2013}).
 *
 * <p>Parsed by hand rather than with {@code DateTimeFormatter}'s {@code zzz}: Java resolves zone
 * abbreviations through locale-dependent names and picks one arbitrarily for ambiguous ones
 * (CST, IST, BST...), so the same file could sort differently on two machines. Here each accepted
 * abbreviation maps to exactly one fixed offset; any other abbreviation (or a {@code ctime}-style
 * line with no zone at all) still marks an entry but yields no timestamp, because guessing an
 * offset would silently misorder entries. The weekday is not cross-checked against the date:
 * hand-edited notes get it wrong, and the date is what the author meant.
 */
final class NoteTimestamp {

    private static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");

    private static final Pattern LINE = Pattern.compile(
            "(?i)(?:mon|tue|wed|thu|fri|sat|sun) +"
                    + "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) +(\\d{1,2}) +"
                    + "(\\d{1,2}):(\\d{2}):(\\d{2}) +"
                    + "(?:([a-z]{1,5}|[+-]\\d{2}(?::?\\d{2})?) +)?"
                    + "(\\d{4})");

    private static final Pattern NUMERIC_OFFSET = Pattern.compile("[+-]\\d{2}(?::?\\d{2})?");

    private static final Map<String, ZoneOffset> ZONES = Map.ofEntries(
            Map.entry("UTC", ZoneOffset.UTC),
            Map.entry("UT", ZoneOffset.UTC),
            Map.entry("GMT", ZoneOffset.UTC),
            Map.entry("Z", ZoneOffset.UTC),
            Map.entry("EST", ZoneOffset.ofHours(-5)),
            Map.entry("EDT", ZoneOffset.ofHours(-4)),
            Map.entry("CST", ZoneOffset.ofHours(-6)),
            Map.entry("CDT", ZoneOffset.ofHours(-5)),
            Map.entry("MST", ZoneOffset.ofHours(-7)),
            Map.entry("MDT", ZoneOffset.ofHours(-6)),
            Map.entry("PST", ZoneOffset.ofHours(-8)),
            Map.entry("PDT", ZoneOffset.ofHours(-7)),
            Map.entry("BST", ZoneOffset.ofHours(1)),
            Map.entry("CET", ZoneOffset.ofHours(1)),
            Map.entry("CEST", ZoneOffset.ofHours(2)),
            Map.entry("IST", ZoneOffset.ofHoursMinutes(5, 30)),
            Map.entry("JST", ZoneOffset.ofHours(9)));

    private NoteTimestamp() {
    }

    /**
     * Whether the whole line is a timestamp. Trailing whitespace is tolerated, leading whitespace is
     * not: an indented line is code, and a date inside a code sample must not split the entry.
     */
    static boolean matches(String line) {
        return LINE.matcher(line.stripTrailing()).matches();
    }

    /** The instant the line denotes, or {@code null} if it is not a timestamp, is an impossible date, or has an unmapped zone. */
    static OffsetDateTime parse(String line) {
        Matcher m = LINE.matcher(line.stripTrailing());
        if (!m.matches()) {
            return null;
        }
        ZoneOffset offset = offset(m.group(6));
        if (offset == null) {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.of(
                    Integer.parseInt(m.group(7)),
                    MONTHS.indexOf(m.group(1).toLowerCase(Locale.ROOT)) + 1,
                    Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)));
            return OffsetDateTime.of(local, offset);
        } catch (DateTimeException impossibleDate) {
            return null;
        }
    }

    private static ZoneOffset offset(String zone) {
        if (zone == null) {
            return null;
        }
        if (NUMERIC_OFFSET.matcher(zone).matches()) {
            try {
                return ZoneOffset.of(zone);
            } catch (DateTimeException outOfRange) {
                return null;
            }
        }
        return ZONES.get(zone.toUpperCase(Locale.ROOT));
    }
}
