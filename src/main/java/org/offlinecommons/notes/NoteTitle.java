package org.offlinecommons.notes;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Derives a short title for an entry from its first meaningful line. */
final class NoteTitle {

    static final int MAX_LENGTH = 80;

    /**
     * Shorter leading sentences or clauses read as fragments ("Dr.", "Note:"), so a cut is only
     * taken when it leaves at least this much.
     */
    private static final int MIN_CUT = 8;

    private static final DateTimeFormatter READABLE =
            DateTimeFormatter.ofPattern("EEE d MMM uuuu, HH:mm", Locale.ENGLISH);

    private static final Pattern BULLET_MARK = Pattern.compile("^[*-]\\s+");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?=\\s)|[。！？]");
    /** "Khan Academy Lite - Access to..." : the part before a spaced dash or colon is the name. */
    private static final Pattern CLAUSE_BREAK = Pattern.compile(" [-\u2013\u2014] |: ");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[\\s.,;:\\-\u2013\u2014]+$");
    private static final Pattern WHITESPACE = Pattern.compile("(?U)\\s+");

    private NoteTitle() {
    }

    static String of(String body, OffsetDateTime timestamp, String heading) {
        String firstLine = null;
        for (String raw : NoteLines.split(body)) {
            if (raw.isBlank() || NoteLines.isRule(raw)) {
                continue;
            }
            if (firstLine == null) {
                firstLine = raw.strip();
            }
            if (NoteLines.isUrlOnly(raw)) {
                continue;
            }
            String text = WHITESPACE.matcher(BULLET_MARK.matcher(raw.strip()).replaceFirst("")).replaceAll(" ");
            String title = shorten(text);
            if (!title.isEmpty()) {
                return title;
            }
        }
        if (timestamp != null) {
            return READABLE.format(timestamp);
        }
        if (heading != null && !heading.isBlank()) {
            return heading.strip();
        }
        // Only URLs or punctuation in an untimed preamble: showing them beats an invented label.
        return firstLine != null ? shorten(firstLine) : "Untitled notes";
    }

    private static String shorten(String text) {
        if (text.length() <= MAX_LENGTH) {
            return trimPunctuation(text);
        }
        Matcher sentence = SENTENCE_END.matcher(text);
        while (sentence.find() && sentence.end() <= MAX_LENGTH) {
            if (sentence.end() >= MIN_CUT) {
                return trimPunctuation(text.substring(0, sentence.end()));
            }
        }
        Matcher clause = CLAUSE_BREAK.matcher(text);
        while (clause.find() && clause.start() <= MAX_LENGTH) {
            if (clause.start() >= MIN_CUT) {
                return trimPunctuation(text.substring(0, clause.start()));
            }
        }
        int cut = text.lastIndexOf(' ', MAX_LENGTH - 1);
        if (cut < MIN_CUT) {
            // No space to cut at (e.g. CJK text): cut hard, but never between a surrogate pair.
            cut = MAX_LENGTH - 1;
            if (Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--;
            }
        }
        return trimPunctuation(text.substring(0, cut)) + "…";
    }

    private static String trimPunctuation(String text) {
        return TRAILING_PUNCTUATION.matcher(text).replaceFirst("");
    }
}
