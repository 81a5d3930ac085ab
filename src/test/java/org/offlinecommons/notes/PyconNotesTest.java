package org.offlinecommons.notes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The field notes the library actually ships (a copy of shared/seed-notes/pycon-2013-notes.txt). */
class PyconNotesTest {

    private static String text;
    private static List<NoteEntry> entries;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = PyconNotesTest.class.getResourceAsStream("/notes/pycon-2013-notes.txt")) {
            text = new String(Objects.requireNonNull(in, "test resource missing").readAllBytes(), StandardCharsets.UTF_8);
        }
        entries = NotesParser.parse(text);
    }

    private static NoteEntry entryTitled(String prefix) {
        return entries.stream().filter(e -> e.title().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void isRecognisedAsNotes() {
        assertThat(NotesParser.isNotes(text)).isTrue();
    }

    @Test
    void hasSixEntriesInChronologicalOrderWithIndexes() {
        assertThat(entries).hasSize(6);
        assertThat(entries).extracting(NoteEntry::index).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(entries).extracting(NoteEntry::isoTimestamp).containsExactly(
                "2013-03-16T12:24:56-04:00",
                "2013-03-16T12:32:21-04:00",
                "2013-03-16T17:40:21-04:00",
                "2013-03-16T17:41:10-04:00",
                "2013-03-16T18:17:32-04:00",
                "2013-03-16T19:33:52-04:00");
        assertThat(entries).extracting(NoteEntry::timestamp)
                .isSortedAccordingTo((a, b) -> a.toInstant().compareTo(b.toInstant()));
        assertThat(entries.get(0).heading()).isEqualTo("Sat Mar 16 12:24:56 EDT 2013");
        assertThat(entries.get(0).timestamp().toInstant()).isEqualTo(Instant.parse("2013-03-16T16:24:56Z"));
    }

    @Test
    void titlesComeFromTheFirstMeaningfulLine() {
        assertThat(entries).extracting(NoteEntry::title).containsExactly(
                "Just watched a guy extend the code module",
                "Khan Academy Lite",
                "Python Deployment talk",
                "Now in the \"Building Full-Stack Scientific Applications in Python\" Talk",
                "Numba Talk",
                "Kenneth Reitz's Python for Humans Talk");
    }

    @Test
    void bodiesExcludeTheTimestampHeading() {
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.body()).doesNotContain("EDT 2013").doesNotStartWith("=").isNotBlank();
            assertThat(e.body()).isEqualTo(e.body().strip());
        });
        assertThat(entries.get(5).body()).startsWith("Kenneth Reitz's Python for Humans Talk")
                .endsWith("Document our activities");
    }

    @Test
    void scientificAppsEntryRendersItsOutline() {
        NoteEntry entry = entryTitled("Now in the \"Building Full-Stack Scientific Applications");
        Document html = Jsoup.parseBodyFragment(NotesRenderer.toHtml(entry.body()));

        assertThat(html.select("h2").eachText()).containsExactly("Model", "View", "Controller");
        assertThat(html.select("h3").eachText()).containsExactly("HDF5", "PyTables", "PyQt", "NumPy", "Pandas");
        assertThat(html.select("h1, h4, h5, h6")).isEmpty();
        assertThat(html.select("ul > li > ul > li").eachText())
                .containsExactly("HDF5/PyTables", "HTML/Javascript", "HTML/CSS/Javascript");
        assertThat(html.select("h3:contains(HDF5) + ul > li")).hasSize(6);
        assertThat(html.select("a[href]")).singleElement()
                .satisfies(a -> assertThat(a.attr("href")).isEqualTo("http://durden.github.com/python_science_apps/"));
        // The underlines themselves must not leak into the page.
        assertThat(html.text()).doesNotContain("~~~", "---");
    }

    @Test
    void numbaEntryKeepsTheCompilerDiagramVerbatim() {
        Document html = Jsoup.parseBodyFragment(NotesRenderer.toHtml(entryTitled("Numba Talk").body()));
        Element diagram = html.select("pre").first();
        assertThat(diagram).isNotNull();
        assertThat(diagram.wholeText()).isEqualTo(
                "C++     --\\                                 /--> x86\n"
                        + "C        ---> Intermediate Representation ----> ARM\n"
                        + "Fortran --/                                 \\--> PTX\n"
                        + "ObjC   --/");
        assertThat(html.select("p").eachText()).contains("Face of a modern compiler", "@numba.autojit");
    }

    @Test
    void searchTextFindsWordsInTheRightEntries() {
        List<String> search = entries.stream().map(e -> NotesRenderer.plainText(e.body())).toList();
        assertThat(search.get(1)).contains("Khan Academy");
        assertThat(search.get(2)).contains("gunicorn");
        assertThat(search.get(4)).contains("Numba");
        assertThat(search.get(0)).doesNotContain("Khan Academy", "gunicorn", "Numba");
        assertThat(search.get(3)).contains("Model HDF5 Built for scientific data").doesNotContain("~~", "--");
    }
}
