package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.ExternalTools;
import org.offlinecommons.store.Catalog;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.zim.ZimArchive;
import org.offlinecommons.zim.ZimEntry;
import org.offlinecommons.zim.ZimPackMapping;

/** Real openZIM sample files (../shared/zim-samples) imported into a real library, checked entry by entry. */
class ZimImporterTest {

    static final Path SAMPLES = ZimTestFiles.SAMPLES;

    @TempDir
    Path tmp;
    Library library;
    PackImporter importer;

    @BeforeEach
    void open() {
        library = Library.open(tmp.resolve("data"));
        importer = new PackImporter(library);
    }

    @AfterEach
    void close() {
        library.close();
    }

    static List<Path> readable() {
        return ZimTestFiles.readable();
    }

    @Test
    void everyEntryOfEveryReadableSampleIsStoredAsItsBytesOrItsRedirect() throws IOException {
        for (Path zim : readable()) {
            ImportResult r = importer.importPack(zim, ProgressListener.NONE);
            assertThat(r.outcome()).as(zim.toString()).isEqualTo(ImportResult.Outcome.INSTALLED);
            PackRecord pack = library.catalog().pack(r.packId()).orElseThrow();
            Map<String, Catalog.ListedFile> files = files(pack);
            int checked = 0;
            try (ZimArchive archive = ZimArchive.open(zim)) {
                for (int i = 0; i < archive.entryCount(); i++) {
                    ZimEntry e = archive.entry(i);
                    Optional<String> path = ZimPackMapping.packPath(archive.namespaceScheme(), e);
                    if (path.isEmpty() || !PackPath.isValid(path.get())) {
                        continue;
                    }
                    Catalog.ListedFile f = files.get(path.get());
                    assertThat(f).as(zim.getFileName() + " " + e.longPath()).isNotNull();
                    if (e.isContent()) {
                        assertThat(read(f)).as(e.longPath()).isEqualTo(archive.readBlob(e));
                        assertThat(f.mediaType()).isEqualTo(ZimImporter.mediaType(e.mimeType()));
                    } else {
                        ZimEntry target = archive.resolve(e);
                        String to = ZimPackMapping.packPath(archive.namespaceScheme(), target).orElseThrow();
                        assertThat(f.mediaType()).isEqualTo(FileList.REDIRECT_MEDIA_TYPE);
                        assertThat(new String(read(f), StandardCharsets.UTF_8)).isEqualTo(to);
                        assertThat(files).containsKey(to);
                    }
                    checked++;
                }
                String main = ZimPackMapping.packPath(archive.namespaceScheme(),
                        archive.resolve(archive.mainEntry().orElseThrow())).orElseThrow();
                assertThat(pack.entry()).isEqualTo(main);
            }
            assertThat(checked).isPositive();
            assertThat(files).containsKey(ZimImporter.ICON_PATH);
            assertThat(pack.itemCount()).isPositive();
            assertThat(library.catalog().items(pack.id()).get(0).path()).isEqualTo(pack.entry());
            library.delete(pack.id());
        }
    }

    @Test
    void wikibooksMetadataAndCyrillicTitlesBecomeThePacksAndItsItems() {
        ImportResult r = importer.importPack(SAMPLES.resolve("nons/wikibooks_be_all_nopic_2017-02.zim"),
                ProgressListener.NONE);
        PackRecord pack = library.catalog().pack(r.packId()).orElseThrow();
        assertThat(pack.id()).isEqualTo("kiwix-wikibooks-be-all");
        assertThat(pack.version()).isEqualTo(20170213L);
        assertThat(pack.language()).isEqualTo("be");
        assertThat(pack.title()).isEqualTo("Wikibooks");
        assertThat(pack.description()).isEqualTo("З пляцоўкі Wikibooks");
        assertThat(pack.created()).isEqualTo("2017-02-13");
        List<String> titles = library.catalog().items(pack.id()).stream().map(Item::title).toList();
        assertThat(titles).contains("Рэцэпт:Суп з гарбуза");
        assertThat(library.search().search("гарбуза", pack.id(), 10, 0).hits()).isNotEmpty();
    }

    @Test
    void frontArticleIndexesAreThoseOfTheTitleListing() throws IOException {
        int withListing = 0;
        for (Path zim : readable()) {
            try (ZimArchive archive = ZimArchive.open(zim)) {
                List<Integer> indexes = new ArrayList<>();
                archive.forEachFrontArticleIndex(indexes::add);
                if (archive.titleListing() != ZimArchive.TitleListing.V1_FRONT_ARTICLES) {
                    assertThat(indexes).as(zim.toString()).isEmpty();
                    continue;
                }
                withListing++;
                List<Integer> byTitle = new ArrayList<>();
                archive.forEachByTitle(e -> byTitle.add(e.index()));
                assertThat(indexes).as(zim.toString()).isNotEmpty().isEqualTo(byTitle);
            }
        }
        assertThat(withListing).isPositive();
    }

    @Test
    void theSplitFileIsTheSamePackAsTheWholeOne() {
        ImportResult whole = importer.importPack(SAMPLES.resolve("nons/wikibooks_be_all_nopic_2017-02.zim"),
                ProgressListener.NONE);
        ImportResult split = importer.importPack(SAMPLES.resolve("nons/wikibooks_be_all_nopic_2017-02_splitted.zimaa"),
                ProgressListener.NONE);
        assertThat(split.packId()).isEqualTo(whole.packId());
        assertThat(split.outcome()).isEqualTo(ImportResult.Outcome.UNCHANGED);
    }

    @Test
    void entriesWhosePathsNoPackCanHoldAreLeftOutAndCounted() throws Exception {
        // zimwriterfs (Debian's zim-tools) keeps file names our pack paths refuse; our own writer does not.
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<html><head><title>Home</title></head><body>home</body></html>");
        Files.writeString(site.resolve("back\\slash.html"), "<html><body>a backslash</body></html>");
        Files.writeString(site.resolve("a\ttab.html"), "<html><body>a control character</body></html>");
        Files.write(site.resolve("icon.png"), org.offlinecommons.zim.ZimTestWriter.icon());
        Path zim = tmp.resolve("odd.zim");
        ExternalTools.Result made = ExternalTools.run(java.time.Duration.ofSeconds(60), List.of("zimwriterfs",
                "--welcome=index.html", "--illustration=icon.png", "--language=eng", "--title=Odd paths",
                "--description=Odd", "--creator=tests", "--publisher=tests", "--name=odd_paths",
                "--withoutFTIndex", site.toString(), zim.toString()));
        assertThat(made.exit()).as(made.output()).isZero();

        ImportResult r = importer.importPack(zim, ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(ImportResult.Outcome.INSTALLED);
        assertThat(r.leftOut()).isEqualTo(2);
        assertThat(r.firstLeftOut()).isEqualTo("a\ttab.html"); // in the ZIM's path order
        assertThat(r.summary()).endsWith("; 2 entries of the ZIM left out, their paths cannot be served"
                + " (first: 'a\ttab.html')");
        PackRecord pack = library.catalog().pack(r.packId()).orElseThrow();
        assertThat(files(pack)).containsOnlyKeys("index.html", "icon.png", "illustration-48x48.png");
    }

    @Test
    void everyInvalidSampleIsRefusedByNameAndLeavesTheLibraryAsItWas() throws IOException {
        importer.importPack(SAMPLES.resolve("withns/small.zim"), ProgressListener.NONE);
        List<PackRecord> before = library.catalog().packs();
        List<Path> invalid = new ArrayList<>();
        for (String scheme : List.of("withns", "nons")) {
            try (Stream<Path> s = Files.list(SAMPLES.resolve(scheme))) {
                s.filter(p -> p.getFileName().toString().startsWith("invalid.")).sorted().forEach(invalid::add);
            }
        }
        assertThat(invalid).hasSize(32);
        for (Path zim : invalid) {
            assertThatThrownBy(() -> importer.importPack(zim, ProgressListener.NONE))
                    .as(zim.toString())
                    .isInstanceOf(PackException.class)
                    .hasMessageStartingWith(zim.getFileName().toString() + ": ")
                    .hasMessageContaining("nothing was imported");
        }
        assertThat(library.catalog().packs()).isEqualTo(before);
        try (Stream<Path> left = Files.list(library.dataDir())) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("zim-import-"));
        }
    }

    private Map<String, Catalog.ListedFile> files(PackRecord pack) {
        Map<String, Catalog.ListedFile> out = new HashMap<>();
        String after = null;
        while (true) {
            List<Catalog.ListedFile> page = library.catalog().filesPage(pack.id(), pack.digest(), after, 1000)
                    .orElseThrow();
            if (page.isEmpty()) {
                return out;
            }
            page.forEach(f -> out.put(f.path(), f));
            after = page.get(page.size() - 1).path();
        }
    }

    private byte[] read(Catalog.ListedFile f) throws IOException {
        try (InputStream in = library.chunks().open(library.chunks().recipe(f.sha256()).orElseThrow())) {
            return in.readAllBytes();
        }
    }
}
