package org.offlinecommons.notes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NotesParserTest {

    private static final String UNDERLINE = "============================";

    private static String entry(String timestamp, String body) {
        return timestamp + "\n" + UNDERLINE + "\n\n" + body + "\n\n";
    }

    @Test
    void emptyOrBlankTextHasNoEntries() {
        assertThat(NotesParser.parse("")).isEmpty();
        assertThat(NotesParser.parse(null)).isEmpty();
        assertThat(NotesParser.parse(" \n\t\r\n\n")).isEmpty();
        assertThat(NotesParser.isNotes("")).isFalse();
    }

    @Test
    void textWithoutTimestampIsNotNotesButIsKeptAsPreamble() {
        String text = "Shopping list\nMilk, eggs.\n\nCall Bob at 12:30.\n";

        assertThat(NotesParser.isNotes(text)).isFalse();
        List<NoteEntry> entries = NotesParser.parse(text);
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.isPreamble()).isTrue();
            assertThat(e.heading()).isNull();
            assertThat(e.timestamp()).isNull();
            assertThat(e.title()).isEqualTo("Shopping list");
            assertThat(e.body()).isEqualTo("Shopping list\nMilk, eggs.\n\nCall Bob at 12:30.");
        });
    }

    @Test
    void textBeforeTheFirstTimestampBecomesAPreambleEntryFirst() {
        String text = "Notes from PyCon\n\n" + entry("Sat Mar 16 12:24:56 EDT 2013", "Talk one");

        List<NoteEntry> entries = NotesParser.parse(text);

        assertThat(NotesParser.isNotes(text)).isTrue();
        assertThat(entries).extracting(NoteEntry::title).containsExactly("Notes from PyCon", "Talk one");
        assertThat(entries.get(0).isPreamble()).isTrue();
        assertThat(entries.get(1).isPreamble()).isFalse();
    }

    @Test
    void blankPreambleIsDropped() {
        assertThat(NotesParser.parse("\n   \n" + entry("Sat Mar 16 12:24:56 EDT 2013", "Talk")))
                .singleElement().extracting(NoteEntry::title).isEqualTo("Talk");
    }

    @Test
    void crlfAndCrLineEndingsAreNormalised() {
        String lf = entry("Sat Mar 16 12:24:56 EDT 2013", "First line\nSecond line")
                + entry("Sat Mar 16 13:00:00 EDT 2013", "Other");

        for (String text : List.of(lf.replace("\n", "\r\n"), lf.replace("\n", "\r"))) {
            List<NoteEntry> entries = NotesParser.parse(text);
            assertThat(entries).hasSize(2);
            assertThat(entries.get(0).body()).isEqualTo("First line\nSecond line");
            assertThat(entries.get(0).heading()).isEqualTo("Sat Mar 16 12:24:56 EDT 2013");
            assertThat(entries.get(1).body()).isEqualTo("Other");
        }
    }

    @Test
    void leadingByteOrderMarkDoesNotHideTheFirstTimestamp() {
        String text = "\uFEFF" + entry("Sat Mar 16 12:24:56 EDT 2013", "Body");

        assertThat(NotesParser.isNotes(text)).isTrue();
        assertThat(NotesParser.parse(text)).singleElement().satisfies(e -> {
            assertThat(e.isPreamble()).isFalse();
            assertThat(e.heading()).isEqualTo("Sat Mar 16 12:24:56 EDT 2013");
        });
    }

    @Test
    void timestampWithoutUnderlineStartsAnEntryAfterABlankLine() {
        String text = "Sat Mar 16 12:24:56 EDT 2013\nFirst entry\n\nSat Mar 16 13:00:00 EDT 2013\nSecond entry\n";

        assertThat(NotesParser.isNotes(text)).isTrue();
        List<NoteEntry> entries = NotesParser.parse(text);
        assertThat(entries).extracting(NoteEntry::body).containsExactly("First entry", "Second entry");
        assertThat(entries).extracting(NoteEntry::isoTimestamp)
                .containsExactly("2013-03-16T12:24:56-04:00", "2013-03-16T13:00:00-04:00");
    }

    @Test
    void timestampQuotedInsideAParagraphDoesNotSplitTheEntry() {
        String text = entry("Sat Mar 16 12:24:56 EDT 2013", "The server log said\nSat Mar 16 12:00:00 EDT 2013\nwhen it crashed");

        assertThat(NotesParser.parse(text)).singleElement().extracting(NoteEntry::body)
                .isEqualTo("The server log said\nSat Mar 16 12:00:00 EDT 2013\nwhen it crashed");
    }

    @Test
    void indentedTimestampIsCodeNotAnEntry() {
        String text = entry("Sat Mar 16 12:24:56 EDT 2013", "$ date\n\n    Sat Mar 16 12:00:00 EDT 2013\n    ====");

        assertThat(NotesParser.parse(text)).hasSize(1);
    }

    @Test
    void trailingSpacesAreIgnored() {
        String text = "Sat Mar 16 12:24:56 EDT 2013   \n" + UNDERLINE + "  \t\n\nHello   \nworld \t\n\n\n";

        assertThat(NotesParser.parse(text)).singleElement().satisfies(e -> {
            assertThat(e.heading()).isEqualTo("Sat Mar 16 12:24:56 EDT 2013");
            assertThat(e.timestamp()).isNotNull();
            assertThat(e.body()).isEqualTo("Hello\nworld");
            assertThat(e.title()).isEqualTo("Hello");
        });
    }

    @Test
    void nonAsciiTextSurvivesIntact() {
        String text = entry("Sun Mar 17 09:00:00 CET 2013", "Café — naïve 日本語\n\n* Ünïcödé bullet");

        NoteEntry e = NotesParser.parse(text).get(0);

        assertThat(e.title()).isEqualTo("Café — naïve 日本語");
        assertThat(e.body()).isEqualTo("Café — naïve 日本語\n\n* Ünïcödé bullet");
        assertThat(e.isoTimestamp()).isEqualTo("2013-03-17T09:00:00+01:00");
    }

    @Test
    void entryWithNoBodyIsTitledByItsTimestamp() {
        String text = "Sat Mar 16 12:24:56 EDT 2013\n" + UNDERLINE + "\n\n"
                + entry("Sat Mar 16 13:00:00 EDT 2013", "Has text");

        List<NoteEntry> entries = NotesParser.parse(text);

        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).body()).isEmpty();
        assertThat(entries.get(0).title()).isEqualTo("Sat 16 Mar 2013, 12:24");
        assertThat(entries.get(1).title()).isEqualTo("Has text");
    }

    @Test
    void entriesWithTheSameTimestampAreBothKeptInFileOrder() {
        String text = entry("Sat Mar 16 12:24:56 EDT 2013", "first")
                + entry("Sat Mar 16 12:24:56 EDT 2013", "second");

        List<NoteEntry> entries = NotesParser.parse(text);

        assertThat(entries).extracting(NoteEntry::title).containsExactly("first", "second");
        assertThat(entries).extracting(NoteEntry::index).containsExactly(0, 1);
        assertThat(entries.get(0).timestamp()).isEqualTo(entries.get(1).timestamp());
    }

    @Test
    void entriesAreSortedByInstantAcrossOffsetsWhileUnparseableOnesKeepTheirSlot() {
        String text = entry("Sat Mar 16 18:00:00 EDT 2013", "C 22:00Z")
                + entry("Sat Mar 16 12:00:00 XYZ 2013", "unknown zone")
                + entry("Sat Mar 16 20:00:00 GMT 2013", "B 20:00Z")
                + entry("Sat Mar 16 10:00:00 PST 2013", "A 18:00Z");

        List<NoteEntry> entries = NotesParser.parse(text);

        assertThat(entries).extracting(NoteEntry::title)
                .containsExactly("A 18:00Z", "unknown zone", "B 20:00Z", "C 22:00Z");
        assertThat(entries).extracting(NoteEntry::index).containsExactly(0, 1, 2, 3);
        assertThat(entries.get(1).timestamp()).isNull();
        assertThat(entries.get(1).heading()).isEqualTo("Sat Mar 16 12:00:00 XYZ 2013");
    }

    @ParameterizedTest
    @CsvSource({
            "Sat Mar 16 12:24:56 EDT 2013,   2013-03-16T12:24:56-04:00",
            "Sat Mar 16 12:24:56 EST 2013,   2013-03-16T12:24:56-05:00",
            "Sat Mar 16 12:24:56 CST 2013,   2013-03-16T12:24:56-06:00",
            "Sat Mar 16 12:24:56 CDT 2013,   2013-03-16T12:24:56-05:00",
            "Sat Mar 16 12:24:56 MST 2013,   2013-03-16T12:24:56-07:00",
            "Sat Mar 16 12:24:56 MDT 2013,   2013-03-16T12:24:56-06:00",
            "Sat Mar 16 12:24:56 PST 2013,   2013-03-16T12:24:56-08:00",
            "Sat Mar 16 12:24:56 PDT 2013,   2013-03-16T12:24:56-07:00",
            "Sat Mar 16 12:24:56 UTC 2013,   2013-03-16T12:24:56+00:00",
            "Sat Mar 16 12:24:56 GMT 2013,   2013-03-16T12:24:56+00:00",
            "Sat Mar 16 12:24:56 Z 2013,     2013-03-16T12:24:56+00:00",
            "Sat Mar 16 12:24:56 BST 2013,   2013-03-16T12:24:56+01:00",
            "Sat Mar 16 12:24:56 CET 2013,   2013-03-16T12:24:56+01:00",
            "Sat Mar 16 12:24:56 CEST 2013,  2013-03-16T12:24:56+02:00",
            "Sat Mar 16 12:24:56 IST 2013,   2013-03-16T12:24:56+05:30",
            "Sat Mar 16 12:24:56 JST 2013,   2013-03-16T12:24:56+09:00",
            "Sat Mar 16 12:24:56 +0200 2013, 2013-03-16T12:24:56+02:00",
            "Sat Mar 16 12:24:56 -04:00 2013, 2013-03-16T12:24:56-04:00",
            "Wed Mar  6 09:05:07 PST 2013,   2013-03-06T09:05:07-08:00",
            "Sat Mar 16 12:24:00 EDT 2013,   2013-03-16T12:24:00-04:00",
    })
    void timestampsParseToFixedOffsetsAndFormatAsIso8601(String line, String iso) {
        NoteEntry e = NotesParser.parse(line + "\n" + UNDERLINE + "\n\nbody\n").get(0);

        assertThat(e.timestamp()).isEqualTo(OffsetDateTime.parse(iso));
        assertThat(e.isoTimestamp()).isEqualTo(iso);
    }

    @Test
    void isoTimestampKeepsTheWrittenOffsetAndInstant() {
        NoteEntry e = NotesParser.parse(entry("Sat Mar 16 12:24:56 EDT 2013", "x")).get(0);

        assertThat(e.isoTimestamp()).isEqualTo("2013-03-16T12:24:56-04:00");
        assertThat(e.timestamp().toInstant()).isEqualTo(Instant.parse("2013-03-16T16:24:56Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Sat Mar 16 12:24:56 XYZ 2013",   // zone we will not guess
            "Sat Feb 30 12:24:56 EDT 2013",   // impossible date
            "Sat Mar 16 25:24:56 EDT 2013",   // impossible time
            "Sat Mar 16 12:24:56 2013",       // ctime form, no zone
    })
    void unparseableTimestampStillStartsAnEntryButHasNoTimestamp(String line) {
        String text = line + "\n" + UNDERLINE + "\n";

        assertThat(NotesParser.isNotes(text)).isTrue();
        assertThat(NotesParser.parse(text)).singleElement().satisfies(e -> {
            assertThat(e.timestamp()).isNull();
            assertThat(e.isoTimestamp()).isNull();
            assertThat(e.heading()).isEqualTo(line);
            assertThat(e.title()).isEqualTo(line);
            assertThat(e.isPreamble()).isFalse();
        });
    }

    @Test
    void titleSkipsUnderlinesAndUrlsAndDropsBulletsAndTrailingColon() {
        String body = "https://example.org/slides\n\n* Things I learned:\n* more";

        assertThat(NotesParser.parse(entry("Sat Mar 16 12:24:56 EDT 2013", body)).get(0).title())
                .isEqualTo("Things I learned");
    }

    @Test
    void longFirstLineIsCutAtTheFirstSentenceWhenItEndsWithin80Chars() {
        String body = "Short opening sentence here. " + "Then a very long continuation that goes on and on ".repeat(3);

        assertThat(NotesParser.parse(entry("Sat Mar 16 12:24:56 EDT 2013", body)).get(0).title())
                .isEqualTo("Short opening sentence here");
    }

    @Test
    void longFirstLineWithoutEarlyBreakIsTruncatedAtAWordWithEllipsis() {
        String body = "word ".repeat(40);

        String title = NotesParser.parse(entry("Sat Mar 16 12:24:56 EDT 2013", body)).get(0).title();

        assertThat(title).endsWith("word…").hasSizeLessThanOrEqualTo(80);
        assertThat(title.substring(0, title.length() - 1)).doesNotEndWith(" ").matches("(word )*word");
    }

    @Test
    void entryIndexMustNotBeNegative() {
        assertThatThrownBy(() -> new NoteEntry(-1, null, null, "t", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
