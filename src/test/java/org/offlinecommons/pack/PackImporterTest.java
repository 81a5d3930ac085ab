package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.ProgressListener;

class PackImporterTest {

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

    private Path site() throws IOException {
        return PackFixtures.smallSite(tmp.resolve("site"));
    }

    @Test
    void importsAPackWithDerivedItemsInReadingOrder() throws IOException {
        Path zip = PackFixtures.build(site(), "garden", "The Garden", tmp.resolve("garden.zip"));
        assertThat(library.catalog().count()).isZero();
        ImportResult r = importer.importPack(zip, ProgressListener.NONE);
        assertThat(library.catalog().count()).isEqualTo(1);
        assertThat(r.outcome()).isEqualTo(ImportResult.Outcome.INSTALLED);
        List<Item> items = library.catalog().items("garden");
        // The entry page, the page it links to, then the rest in path order.
        assertThat(items).extracting(Item::path)
                .containsExactly("index.html", "plants/beans.html", "notes/soil.md", "readme.txt");
        assertThat(items).extracting(Item::title)
                .containsExactly("Welcome to the garden", "Growing beans", "Soil and compost", "readme");
        assertThat(items).extracting(Item::kind).containsExactly("html", "html", "markdown", "text");
        assertThat(library.catalog().pack("garden").orElseThrow().entry()).isEqualTo("index.html");
    }

    @Test
    void reimportingTheSamePackChangesNothing() throws IOException {
        Path zip = PackFixtures.build(site(), "garden", "The Garden", tmp.resolve("garden.zip"));
        importer.importPack(zip, ProgressListener.NONE);
        String before = LibrarySnapshot.of(library);
        long installedAt = library.catalog().pack("garden").orElseThrow().installedAt();
        ImportResult again = importer.importPack(zip, ProgressListener.NONE);
        assertThat(again.outcome()).isEqualTo(ImportResult.Outcome.UNCHANGED);
        assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
        assertThat(library.catalog().pack("garden").orElseThrow().installedAt()).isEqualTo(installedAt);
    }

    @Test
    void aNewerVersionReplacesTheOlderAndAnOlderOneIsRefused() throws IOException {
        Path folder = site();
        Path v1 = PackFixtures.build(folder, options(1), tmp.resolve("v1.zip"));
        PackFixtures.write(folder, "plants/peas.html", "<title>Peas</title><p>Peas climb.</p>");
        Path v2 = PackFixtures.build(folder, options(2), tmp.resolve("v2.zip"));
        importer.importPack(v1, ProgressListener.NONE);
        assertThat(importer.importPack(v2, ProgressListener.NONE).outcome()).isEqualTo(ImportResult.Outcome.UPDATED);
        assertThat(library.catalog().pack("garden").orElseThrow().version()).isEqualTo(2);
        assertThat(library.catalog().file("garden", "plants/peas.html")).isPresent();
        String before = LibrarySnapshot.of(library);
        assertThatThrownBy(() -> importer.importPack(v1, ProgressListener.NONE))
                .isInstanceOf(PackException.class)
                .hasMessage("v1.zip: pack 'garden' version 1 is older than the installed version 2; nothing was changed");
        assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
    }

    @Test
    void sameVersionWithOtherContentIsAConflict() throws IOException {
        Path folder = site();
        Path a = PackFixtures.build(folder, options(1), tmp.resolve("a.zip"));
        PackFixtures.write(folder, "readme.txt", "Changed words.\n");
        Path b = PackFixtures.build(folder, options(1), tmp.resolve("b.zip"));
        importer.importPack(a, ProgressListener.NONE);
        String before = LibrarySnapshot.of(library);
        assertThatThrownBy(() -> importer.importPack(b, ProgressListener.NONE))
                .isInstanceOf(PackException.class)
                .satisfies(e -> assertThat(((PackException) e).reason()).isEqualTo(PackException.Reason.CONFLICT))
                .hasMessageContaining("b.zip: pack 'garden' version 1 is already installed with different content");
        assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
    }

    @Test
    void aPackWhoseBytesDoNotMatchItsManifestIsRefusedAndLeavesNoTrace() throws IOException {
        Path good = PackFixtures.build(site(), "garden", "The Garden", tmp.resolve("good.zip"));
        importer.importPack(good, ProgressListener.NONE);
        String before = LibrarySnapshot.of(library);

        Path other = PackFixtures.smallSite(tmp.resolve("other"));
        Path zip = PackFixtures.build(other, "other", "Other", tmp.resolve("other.zip"));
        Path tampered = tmp.resolve("tampered.zip");
        Files.write(tampered, ZipEdits.mutateEntry(Files.readAllBytes(zip), "index.html", ZipEdits::flipFirstByte));
        assertThatThrownBy(() -> importer.importPack(tampered, ProgressListener.NONE))
                .isInstanceOf(PackException.class)
                .hasMessage("tampered.zip: zip entry 'index.html' does not match its sha256 in pack.json"
                        + " (the file is damaged or was changed)");
        assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
        assertThat(library.catalog().pack("other")).isEmpty();
    }

    @Test
    void aPackRefusedAfterSomeOfItsTextWasIndexedLeavesNoSearchRowsBehind() throws Exception {
        Path folder = tmp.resolve("long");
        StringBuilder page = new StringBuilder("<title>Long</title><p>");
        // Each page gives 512 K characters of text: ten make more than a batch of the index.
        for (int i = 0; page.length() < 600_000; i++) {
            page.append("word").append(i % 997).append(' ');
        }
        for (int i = 0; i < 10; i++) {
            PackFixtures.write(folder, "page-" + i + ".html", page.toString());
        }
        PackFixtures.write(folder, "z-last.html", "<title>Last</title><p>The end.</p>");
        Path zip = PackFixtures.build(folder, "long", "Long", tmp.resolve("long.zip"));
        Path tampered = tmp.resolve("tampered.zip");
        Files.write(tampered, ZipEdits.mutateEntry(Files.readAllBytes(zip), "z-last.html", ZipEdits::flipFirstByte));
        long[] before = searchRows();

        assertThatThrownBy(() -> importer.importPack(tampered, ProgressListener.NONE))
                .isInstanceOf(PackException.class)
                .hasMessageContaining("zip entry 'z-last.html' does not match its sha256");
        assertThat(searchRows()).as("index rows and staged rows").containsExactly(before);

        importer.importPack(zip, ProgressListener.NONE);
        assertThat(library.search().search("word996", null, 10, 0).total()).isEqualTo(10);
        assertThat(searchRows()[1]).as("staged rows left after a publish").isZero();
    }

    /** Rows of the full-text index, and staged rows no item uses yet. */
    private long[] searchRows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + library.databaseFile());
             Statement s = c.createStatement()) {
            long[] out = new long[2];
            try (var rs = s.executeQuery("SELECT count(*) FROM search")) {
                out[0] = rs.getLong(1);
            }
            try (var rs = s.executeQuery("SELECT count(*) FROM staged_search")) {
                out[1] = rs.getLong(1);
            }
            return out;
        }
    }

    @Test
    void identicalFilesInTwoPacksAreStoredOnce() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        PackFixtures.writeRandom(a, "video.bin", 3 * ChunkStore.CHUNK_SIZE + 123, 7);
        PackFixtures.writeRandom(b, "media/same-video.bin", 3 * ChunkStore.CHUNK_SIZE + 123, 7);
        PackFixtures.write(b, "index.html", "<title>B</title>");
        importer.importPack(PackFixtures.build(a, "pack-a", "A", tmp.resolve("a.zip")), ProgressListener.NONE);
        long afterA = library.chunks().storedBytes();
        ImportResult rb = importer.importPack(PackFixtures.build(b, "pack-b", "B", tmp.resolve("b.zip")),
                ProgressListener.NONE);
        assertThat(afterA).isEqualTo(3L * ChunkStore.CHUNK_SIZE + 123);
        assertThat(rb.storedBytes()).isLessThan(100);

        assertThat(library.delete("pack-a")).isTrue();
        assertThat(library.chunks().storedBytes()).isEqualTo(afterA + rb.storedBytes());
        assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
        assertThat(library.delete("pack-b")).isTrue();
        assertThat(library.chunks().storedBytes()).isZero();
    }

    @Test
    void exportGivesTheSamePackBack() throws IOException {
        Path zip = PackFixtures.build(site(), "garden", "The Garden", tmp.resolve("garden.zip"));
        importer.importPack(zip, ProgressListener.NONE);
        Path out = tmp.resolve("export.zip");
        new PackExporter(library).export("garden", out, ProgressListener.NONE);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(zip));

        try (Library other = Library.open(tmp.resolve("other-data"))) {
            new PackImporter(other).importPack(out, ProgressListener.NONE);
            assertThat(LibrarySnapshot.of(other)).isEqualTo(LibrarySnapshot.of(library));
        }
    }

    @Test
    void verifyFindsADamagedChunk() throws Exception {
        importer.importPack(PackFixtures.build(site(), "garden", "The Garden", tmp.resolve("g.zip")),
                ProgressListener.NONE);
        assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + library.databaseFile());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
            s.executeUpdate("UPDATE chunk SET data = X'00' || substr(data, 2) WHERE id = (SELECT min(id) FROM chunk)");
        }
        LibraryVerifier.Report report = new LibraryVerifier(library).verify(ProgressListener.NONE);
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).singleElement().asString().startsWith("garden/").contains("is damaged");
    }

    @Test
    void aPackNeedingMoreSpaceThanIsFreeIsRefused() throws IOException {
        PackImporter greedy = new PackImporter(library, PackLimits.DEFAULT, Long.MAX_VALUE / 4);
        Path zip = PackFixtures.build(site(), "garden", "The Garden", tmp.resolve("garden.zip"));
        assertThatThrownBy(() -> greedy.importPack(zip, ProgressListener.NONE))
                .isInstanceOf(PackException.class)
                .satisfies(e -> assertThat(((PackException) e).reason()).isEqualTo(PackException.Reason.NO_SPACE))
                .hasMessageContaining("garden.zip: needs");
        assertThat(library.catalog().packs()).isEmpty();
    }

    private static PackBuilder.Options options(long version) {
        return new PackBuilder.Options("garden", "The Garden", version, "en", null, null, null, null, null);
    }
}
