package org.offlinecommons.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.offlinecommons.pack.ImportResult;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackExporter;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.zim.ZimArchive;

/** The zip and ZIM downloads as plain Java: the same bytes as the export, sliced anywhere, the same twice. */
class PackDownloadsTest {

    @TempDir
    Path tmp;

    /** A site with text (deflated) and media (stored), nested UTF-8 paths, an empty file. */
    static Path site(Path root) throws IOException {
        PackFixtures.smallSite(root);
        PackFixtures.write(root, "кніга/раздзел 1.html", "<!doctype html><title>Раздзел 1</title><p>тэкст</p>");
        PackFixtures.write(root, "عربي/مقالة.html", "<!doctype html><title>مقالة</title><p>نص</p>");
        PackFixtures.write(root, "css/empty.css", "");
        PackFixtures.writeRandom(root, "media/clip.webm", 300_000, 3);
        PackFixtures.writeRandom(root, "media/photo.jpg", 70_000, 4);
        StringBuilder big = new StringBuilder();
        Random r = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            big.append("line ").append(r.nextInt(1000)).append(" of a long page\n");
        }
        PackFixtures.write(root, "long.txt", big.toString());
        return root;
    }

    static Library libraryWith(Path dir, boolean format2) throws IOException {
        Path zip = dir.resolve("garden.zip");
        PackBuilder.Options o = new PackBuilder.Options("garden", "Garden", 3L, "en", "CC-BY-4.0",
                "A small garden of pages.", List.of("Ana", "Bo"), "2026-11-30", null);
        if (format2) {
            PackBuilder.buildStreamed(site(dir.resolve("site")), o, zip, ProgressListener.NONE);
        } else {
            PackBuilder.build(site(dir.resolve("site")), o, zip, ProgressListener.NONE);
        }
        Library library = Library.open(dir.resolve("data"));
        assertThat(new PackImporter(library).importPack(zip, ProgressListener.NONE).outcome())
                .isEqualTo(ImportResult.Outcome.INSTALLED);
        return library;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theZipIsTheExportByteForByteAndAnySliceOfIt(boolean format2) throws IOException {
        try (Library library = libraryWith(tmp, format2)) {
            Path out = tmp.resolve("export.zip");
            new PackExporter(library).export("garden", out, ProgressListener.NONE);
            byte[] exported = Files.readAllBytes(out);

            PackDownloads downloads = new PackDownloads(library, true);
            PackDownloads.Download d = downloads.prepare("garden", PackDownloads.Kind.ZIP, ProgressListener.NONE);
            assertThat(d.length()).isEqualTo(exported.length);
            assertThat(all(d)).isEqualTo(exported);
            PackDownloads.Download again = new PackDownloads(library, true).prepare("garden", PackDownloads.Kind.ZIP,
                    ProgressListener.NONE);
            assertThat(all(again)).isEqualTo(exported);
            assertThat(again.etag()).isEqualTo(d.etag());
            assertSlicesMatch(d, exported);

            // The exported zip imports again as the same pack.
            try (Library other = Library.open(tmp.resolve("other"))) {
                assertThat(new PackImporter(other).importPack(out, ProgressListener.NONE).outcome())
                        .isEqualTo(ImportResult.Outcome.INSTALLED);
                assertThat(other.catalog().pack("garden").orElseThrow().digest())
                        .isEqualTo(library.catalog().pack("garden").orElseThrow().digest());
            }
            try (ZipFile zip = ZipFile.builder().setPath(out).get()) {
                List<String> names = new ArrayList<>();
                for (ZipArchiveEntry e : java.util.Collections.list(zip.getEntries())) {
                    names.add(e.getName());
                }
                assertThat(names).contains("pack.json", "кніга/раздзел 1.html", "media/clip.webm");
            }
        }
    }

    @Test
    void theZimIsValidTheSameTwiceAndSliceable() throws IOException {
        try (Library library = libraryWith(tmp, true)) {
            PackDownloads.Download d = new PackDownloads(library, true).prepare("garden", PackDownloads.Kind.ZIM,
                    ProgressListener.NONE);
            // A slice before the whole: the checksum is computed first.
            ByteArrayOutputStream tail = new ByteArrayOutputStream();
            d.bytes().write(d.length() - 100, d.length(), tail);
            byte[] whole = all(d);
            assertThat(whole).hasSize((int) d.length());
            assertThat(tail.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(whole, whole.length - 100,
                    whole.length));
            byte[] again = all(new PackDownloads(library, true).prepare("garden", PackDownloads.Kind.ZIM,
                    ProgressListener.NONE));
            assertThat(again).isEqualTo(whole);
            assertSlicesMatch(d, whole);
            Path zim = tmp.resolve("garden.zim");
            Files.write(zim, whole);
            try (ZimArchive archive = ZimArchive.open(zim)) {
                archive.check();
                assertThat(archive.metadata().language()).isEqualTo("eng");
                assertThat(archive.metadata().title()).isEqualTo("Garden");
            }
        }
    }

    @Test
    void preparedGrowsWhenADownloadIsFirstPreparedOnly() throws IOException {
        try (Library library = libraryWith(tmp, true)) {
            PackDownloads downloads = new PackDownloads(library, true);
            assertThat(downloads.prepared()).isZero();
            downloads.prepare("garden", PackDownloads.Kind.ZIP, ProgressListener.NONE);
            assertThat(downloads.prepared()).isEqualTo(1);
            downloads.prepare("garden", PackDownloads.Kind.ZIP, ProgressListener.NONE);
            assertThat(downloads.prepared()).as("a download served again is not new").isEqualTo(1);
            downloads.prepare("garden", PackDownloads.Kind.ZIM, ProgressListener.NONE);
            assertThat(downloads.prepared()).isEqualTo(2);
        }
    }

    @Test
    void anUnknownPackIsNotFound() throws IOException {
        try (Library library = Library.open(tmp.resolve("data"))) {
            assertThatThrownBy(() -> new PackDownloads(library, true).prepare("nope", PackDownloads.Kind.ZIP,
                    ProgressListener.NONE)).isInstanceOf(PackException.class).hasMessageContaining("'nope'");
        }
    }

    @Test
    void languagesBecomeIso6393() {
        assertThat(PackZims.iso639_3("en")).isEqualTo("eng");
        assertThat(PackZims.iso639_3("pt-BR")).isEqualTo("por");
        assertThat(PackZims.iso639_3("und")).isEqualTo("und");
        assertThat(PackZims.iso639_3("cmn")).isEqualTo("cmn");
    }

    static byte[] all(PackDownloads.Download d) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.writeAll(out);
        return out.toByteArray();
    }

    /** Every cut point of a few dozen, and a download cut at half then resumed. */
    static void assertSlicesMatch(PackDownloads.Download d, byte[] whole) throws IOException {
        Random r = new Random(11);
        for (int i = 0; i < 40; i++) {
            long a = (long) (r.nextDouble() * whole.length);
            long b = Math.min(whole.length, a + 1 + (long) (r.nextDouble() * (whole.length - a)));
            if (i % 4 == 0) {
                b = Math.min(whole.length, a + 1 + r.nextInt(64));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            d.bytes().write(a, b, out);
            assertThat(out.toByteArray()).as("bytes [%d, %d)", a, b)
                    .isEqualTo(java.util.Arrays.copyOfRange(whole, (int) a, (int) b));
        }
        ByteArrayOutputStream resumed = new ByteArrayOutputStream();
        d.bytes().write(0, whole.length / 2, resumed);
        d.bytes().write(whole.length / 2, whole.length, resumed);
        assertThat(resumed.toByteArray()).isEqualTo(whole);
        assertThat(new String(whole, 0, 2, StandardCharsets.ISO_8859_1)).isIn("PK", "ZI");
    }
}
