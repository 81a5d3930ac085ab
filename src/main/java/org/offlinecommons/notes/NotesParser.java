package org.offlinecommons.notes;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits a plain-text notebook into {@link NoteEntry entries}.
 *
 * <p>An entry starts at a line that is entirely a Unix {@code date} timestamp (no leading
 * whitespace) and that is either underlined (a run of 3+ {@code =}, {@code ~} or {@code -}) or
 * preceded by a blank line / the start of the file. The second form lets a forgotten underline
 * still split entries, while a date quoted inside a paragraph does not.
 */
public final class NotesParser {

    private record Start(int line, int bodyLine) {
    }

    private record Draft(String heading, OffsetDateTime timestamp, String body) {
    }

    private NotesParser() {
    }

    /**
     * Whether the text is a notebook, i.e. has at least one entry start as {@link #parse} sees it.
     * A file whose only text is a preamble is not a notebook.
     */
    public static boolean isNotes(String text) {
        return !starts(NoteLines.split(text)).isEmpty();
    }

    /**
     * Entries in chronological order, {@link NoteEntry#index()} being the position in that order.
     * Text before the first timestamp becomes an untitled preamble entry (no heading, no timestamp)
     * when it is not blank, so nothing the author wrote is lost; a file without any timestamp is
     * therefore one preamble entry. Empty or blank text gives an empty list.
     */
    public static List<NoteEntry> parse(String text) {
        List<String> lines = NoteLines.split(text);
        List<Start> starts = starts(lines);
        List<Draft> drafts = new ArrayList<>();
        int firstStart = starts.isEmpty() ? lines.size() : starts.get(0).line();
        String preamble = body(lines, 0, firstStart);
        if (!preamble.isEmpty()) {
            drafts.add(new Draft(null, null, preamble));
        }
        for (int i = 0; i < starts.size(); i++) {
            Start start = starts.get(i);
            int end = i + 1 < starts.size() ? starts.get(i + 1).line() : lines.size();
            String heading = lines.get(start.line()).strip();
            drafts.add(new Draft(heading, NoteTimestamp.parse(heading), body(lines, start.bodyLine(), end)));
        }
        List<Draft> ordered = chronological(drafts);
        List<NoteEntry> entries = new ArrayList<>(ordered.size());
        for (Draft d : ordered) {
            String title = NoteTitle.of(d.body(), d.timestamp(), d.heading());
            entries.add(new NoteEntry(entries.size(), d.heading(), d.timestamp(), title, d.body()));
        }
        return List.copyOf(entries);
    }

    private static List<Start> starts(List<String> lines) {
        List<Start> starts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!NoteTimestamp.matches(lines.get(i))) {
                continue;
            }
            // Any run of 3+ under a timestamp is its underline: nothing else would sit there, so the
            // stricter heading-length rule of the renderer is not needed.
            boolean underlined = i + 1 < lines.size() && NoteLines.runOf(lines.get(i + 1), "=~-") != 0;
            if (underlined) {
                starts.add(new Start(i, i + 2));
                i++;
            } else if (i == 0 || lines.get(i - 1).isBlank()) {
                starts.add(new Start(i, i + 1));
            }
        }
        return starts;
    }

    private static String body(List<String> lines, int from, int to) {
        int first = from;
        int last = to;
        while (first < last && lines.get(first).isBlank()) {
            first++;
        }
        while (last > first && lines.get(last - 1).isBlank()) {
            last--;
        }
        StringBuilder body = new StringBuilder();
        for (int i = first; i < last; i++) {
            if (i > first) {
                body.append('\n');
            }
            body.append(lines.get(i).stripTrailing());
        }
        return body.toString();
    }

    /**
     * Sorts timestamped entries by instant (stable, so equal timestamps keep file order) while
     * entries without a timestamp stay in the slot they had in the file: there is nothing to
     * compare them by, and their neighbours are the best guess of when they were written.
     */
    private static List<Draft> chronological(List<Draft> drafts) {
        List<Integer> slots = new ArrayList<>();
        List<Draft> timed = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            if (drafts.get(i).timestamp() != null) {
                slots.add(i);
                timed.add(drafts.get(i));
            }
        }
        timed.sort(Comparator.comparing(d -> d.timestamp().toInstant()));
        List<Draft> ordered = new ArrayList<>(drafts);
        for (int i = 0; i < slots.size(); i++) {
            ordered.set(slots.get(i), timed.get(i));
        }
        return ordered;
    }
}
