package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.offlinecommons.pack.PackFixtures.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.SearchIndex;
import org.offlinecommons.store.TitleSuggestions;
import org.offlinecommons.store.TitleSuggestions.Suggestion;

/** Titles offered while typing, from real packs imported into a real library. */
class TitleSuggestionsTest {

    @TempDir
    static Path tmp;
    static Library library;

    @BeforeAll
    static void open() throws IOException {
        library = Library.open(tmp.resolve("data"));
        Path science = tmp.resolve("science");
        page(science, "index.html", "Science for class 7", "Start here.");
        page(science, "light/photosynthesis.html", "Photosynthesis", "Plants make sugar from light.");
        page(science, "light/photo-album.html", "Photo album of the school garden", "Pictures.");
        page(science, "light/digital.html", "Digital photography for beginners", "Cameras and light.");
        page(science, "light/how.html", "How plants use light: photosynthesis explained", "Long title.");
        page(science, "light/phosphorus.html", "Phosphorus", "An element.");
        page(science, "light/body.html", "Leaves", "The word photosynthesis is only in the body here.");
        page(science, "elan.html", "Élan vital", "Diacritics in the title.");
        page(science, "zh.html", "光合作用是植物利用阳光的过程", "中文");
        page(science, "hi.html", "विज्ञान की पाठशाला", "हिन्दी");
        page(science, "solar.html", "Solar system", "Planets.");
        page(science, "solar-wind.html", "Solar wind", "Particles.");
        page(science, "vitamin-c.html", "Vitamin C in fruit", "Oranges.");
        page(science, "vitamins.html", "Vitamins", "All of them.");
        page(science, "quotes.html", "\"Quoted\" NEAR (brackets) * star", "FTS5 syntax in a title.");
        new PackImporter(library).importPack(PackFixtures.build(science, "science", "Science",
                tmp.resolve("science.zip")), ProgressListener.NONE);
        Path photos = tmp.resolve("photos");
        page(photos, "index.html", "Photosynthesis", "The same title in another pack.");
        page(photos, "other.html", "Photons", "Light as particles.");
        new PackImporter(library).importPack(PackFixtures.build(photos, "photos", "Photos and light",
                tmp.resolve("photos.zip")), ProgressListener.NONE);
    }

    @AfterAll
    static void close() {
        library.close();
    }

    private static void page(Path root, String path, String title, String body) throws IOException {
        write(root, path, "<!doctype html><title>" + title.replace("<", "&lt;") + "</title><p>" + body + "</p>");
    }

    private static List<String> titles(String typed, String pack) {
        return library.suggestions().suggest(typed, pack, TitleSuggestions.DEFAULT_LIMIT).stream()
                .map(s -> s.item().title()).toList();
    }

    @Test
    void titlesStartingAsTypedComeFirstThenShorterOnes() {
        List<String> titles = titles("pho", "science");
        assertThat(titles).containsExactly("Phosphorus", "Photosynthesis", "Photo album of the school garden",
                "Digital photography for beginners", "How plants use light: photosynthesis explained");
    }

    @Test
    void onlyTitlesCountNotBodies() {
        assertThat(titles("photosynthesis", "science")).doesNotContain("Leaves");
        assertThat(titles("sugar", null)).isEmpty();
    }

    @Test
    void everyTypedWordMustStartAWordOfTheTitleAndTheLastIsAPrefix() {
        assertThat(titles("solar w", null)).containsExactly("Solar wind");
        assertThat(titles("sol sys", null)).containsExactly("Solar system");
        assertThat(titles("solar", null)).containsExactly("Solar wind", "Solar system"); // shorter first
        assertThat(titles("wind solar", null)).containsExactly("Solar wind");
    }

    @Test
    void eachSuggestionNamesItsPackAndItemSoAClickOpensIt() {
        List<Suggestion> all = library.suggestions().suggest("photosynthesis", null, 8);
        assertThat(all).extracting(Suggestion::packId).contains("science", "photos");
        Suggestion inPhotos = all.stream().filter(s -> s.packId().equals("photos")).findFirst().orElseThrow();
        assertThat(inPhotos.packTitle()).isEqualTo("Photos and light");
        assertThat(inPhotos.item().path()).isEqualTo("index.html");
        assertThat(inPhotos.item().kind()).isEqualTo("html");
        assertThat(library.catalog().items("photos")).contains(inPhotos.item());
    }

    @Test
    void aPackLimitsThemAndTheLimitIsKept() {
        assertThat(titles("pho", "photos")).containsExactly("Photons", "Photosynthesis");
        assertThat(library.suggestions().suggest("pho", null, 2)).hasSize(2);
        assertThat(library.suggestions().suggest("pho", null, 1000)).hasSizeLessThanOrEqualTo(TitleSuggestions.MAX_LIMIT);
        assertThat(titles("pho", "nope")).isEmpty();
    }

    @Test
    void caseAndDiacriticsDoNotMatter() {
        assertThat(titles("ELAN", null)).containsExactly("Élan vital");
        assertThat(titles("élan vit", null)).containsExactly("Élan vital");
        assertThat(titles("PHOTOS", "science")).containsExactly("Photosynthesis",
                "How plants use light: photosynthesis explained");
    }

    @Test
    void chineseTitlesAreFoundByTheirStart() {
        assertThat(titles("光合", null)).containsExactly("光合作用是植物利用阳光的过程");
        assertThat(titles("光合作用", null)).containsExactly("光合作用是植物利用阳光的过程");
        assertThat(titles("光", null)).containsExactly("光合作用是植物利用阳光的过程");
    }

    @Test
    void wordsWithMarksNeverBreakTheQuery() {
        // Hindi's vowel signs are marks: this index's tokenizer cuts words at them, and a quoted
        // word it would cut is a phrase the index cannot match (an error, were it sent as is).
        for (String typed : List.of("विज्ञान", "विज्ञान पाठ", "कि", "e\u0301lan", "ñ")) {
            assertThat(library.suggestions().suggest(typed, null, 8)).as(typed).isNotNull();
        }
        assertThat(titles("pho", "science")).isNotEmpty();
    }

    @Test
    void typedTextIsNeverQuerySyntaxAndNothingFails() {
        assertThat(titles("\"quoted\" NEAR (brack", null)).containsExactly("\"Quoted\" NEAR (brackets) * star");
        for (String typed : List.of("\"", "*", "(", ")", "-", "NOT", "AND OR", "a\"b", "{title}:x", "title : \"x",
                "^", ":", "", "   ", "\u0000\u0001", "pho\"*) OR (\"a")) {
            assertThat(library.suggestions().suggest(typed, null, 8)).as(typed).isNotNull();
        }
        assertThat(titles(null, null)).isEmpty();
    }

    @Test
    void aSingleLetterOrNoWordSuggestsNothing() {
        assertThat(titles("p", null)).isEmpty();
        assertThat(titles("  ?! ", null)).isEmpty();
    }

    @Test
    void aLetterTypedLastOnlyRanksAndOneBeforeIsAWholeWord() {
        assertThat(titles("solar s", null)).containsExactly("Solar system", "Solar wind");
        assertThat(titles("solar w", null)).containsExactly("Solar wind");
        assertThat(titles("vitamin c", null)).containsExactly("Vitamin C in fruit");
        assertThat(titles("vitamin f", null)).containsExactly("Vitamin C in fruit");
        assertThat(titles("vitamin z", null)).isEmpty();
        assertThat(titles("c fruit", null)).containsExactly("Vitamin C in fruit");
    }

    @Test
    void veryLongTypingIsCutNotRefused() {
        String typed = "solar " + "x".repeat(100_000);
        assertThat(titles(typed, null)).isEmpty();
        assertThat(titles("solar " + "wind ".repeat(1000), null)).containsExactly("Solar wind");
    }

    @Test
    void rowsStagedForAnImportNotYetPublishedAreNotOffered() {
        library.search().stage("unpublished", List.of(new SearchIndex.Text("Photovoltaic panels", "")));
        try {
            assertThat(titles("photov", null)).isEmpty();
        } finally {
            library.search().discard("unpublished");
        }
    }

    @Test
    void aDeletedPackIsNoLongerOfferedEvenAfterTheSameQuestion() throws IOException {
        Path extra = tmp.resolve("extra");
        page(extra, "index.html", "Zebras of the savanna", "Stripes.");
        new PackImporter(library).importPack(PackFixtures.build(extra, "extra", "Extra", tmp.resolve("extra.zip")),
                ProgressListener.NONE);
        assertThat(titles("zebr", null)).containsExactly("Zebras of the savanna");
        library.delete("extra");
        assertThat(titles("zebr", null)).isEmpty();
    }
}
