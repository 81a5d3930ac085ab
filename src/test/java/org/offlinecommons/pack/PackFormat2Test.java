package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.ProgressListener;

/** Format-2 packs: written from a folder, imported, exported byte for byte, verified. */
class PackFormat2Test {

    @TempDir
    Path tmp;

    static Path build2(Path folder, String id, Path zip) {
        PackBuilder.buildStreamed(folder, PackBuilder.Options.of(id, "Pack " + id), zip, ProgressListener.NONE);
        return zip;
    }

    @Test
    void aFolderPacksImportsAndExportsByteForByte() throws IOException {
        Path site = PackFixtures.smallSite(tmp.resolve("site"));
        PackFixtures.writeRandom(site, "media/photo.png", 3000, 1);
        PackFixtures.writeRandom(site, "big/video.mp4", 2_500_000, 2);
        StringBuilder longPage = new StringBuilder("<title>Long page</title>");
        SplittableRandom words = new SplittableRandom(3);
        while (longPage.length() < 1_500_000) {
            longPage.append(Long.toString(words.nextLong(), 36)).append(' ');
        }
        PackFixtures.write(site, "big/long.html", longPage.toString());
        Path zip = build2(site, "garden", tmp.resolve("garden.zip"));
        try (PackArchive a = PackArchive.open(zip)) {
            assertThat(a.manifest().format()).isEqualTo(2);
            assertThat(a.manifest().fileCount()).isEqualTo(7);
            assertThat(new String(a.manifestBytes(), StandardCharsets.UTF_8)).doesNotContain("sha256\" : \"" + "x")
                    .contains("\"fileList\"");
        }
        // Other tools read it: the JDK's zip reader sees pack.json, the list, then the files in path order.
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
                in.readAllBytes();
            }
        }
        assertThat(names).containsExactly("pack.json", "pack-files.tsv", "big/long.html", "big/video.mp4",
                "index.html", "media/photo.png", "notes/soil.md", "plants/beans.html", "readme.txt");
        try (Library library = Library.open(tmp.resolve("data"))) {
            ImportResult r = new PackImporter(library).importPack(zip, ProgressListener.NONE);
            assertThat(r.outcome()).isEqualTo(ImportResult.Outcome.INSTALLED);
            List<Item> items = library.catalog().items("garden");
            // Entry first, the page it links to, then path order; the image is an illustration in a pack with HTML.
            assertThat(items).extracting(Item::path).containsExactly("index.html", "plants/beans.html",
                    "big/long.html", "big/video.mp4", "notes/soil.md", "readme.txt");
            assertThat(items).extracting(Item::title).startsWith("Welcome to the garden", "Growing beans",
                    "Long page");
            assertThat(items).extracting(Item::position).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(library.catalog().pack("garden").orElseThrow().itemCount()).isEqualTo(6);
            assertThat(library.search().search("photosynthesis", null, 10, 0).total()).isEqualTo(1);

            Path out = tmp.resolve("export.zip");
            new PackExporter(library).export("garden", out, ProgressListener.NONE);
            assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(zip));
            ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            new PackExporter(library).export("garden", streamed, ProgressListener.NONE);
            Path streamedZip = Files.write(tmp.resolve("streamed.zip"), streamed.toByteArray());
            assertThat(new PackImporter(library).importPack(streamedZip, ProgressListener.NONE).outcome())
                    .isEqualTo(ImportResult.Outcome.UNCHANGED);
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();

            // Same pack again: nothing to do; a new version replaces it and frees what it alone used.
            assertThat(new PackImporter(library).importPack(zip, ProgressListener.NONE).outcome())
                    .isEqualTo(ImportResult.Outcome.UNCHANGED);
            Files.delete(site.resolve("big/video.mp4"));
            PackBuilder.buildStreamed(site, new PackBuilder.Options("garden", "Garden", 2L, null, null, null, null,
                    null, null), tmp.resolve("garden-2.zip"), ProgressListener.NONE);
            assertThat(new PackImporter(library).importPack(tmp.resolve("garden-2.zip"), ProgressListener.NONE)
                    .outcome()).isEqualTo(ImportResult.Outcome.UPDATED);
            assertThat(library.catalog().items("garden")).extracting(Item::path).doesNotContain("big/video.mp4");
            assertThat(library.chunks().storedBytes()).isLessThan(2_000_000);
            assertThat(library.delete("garden")).isTrue();
            assertThat(library.chunks().storedBytes()).isZero();
        }
    }

    @Test
    void theSameFolderAlwaysGivesTheSameZip() throws IOException {
        Path site = PackFixtures.smallSite(tmp.resolve("site"));
        Path a = build2(site, "same", tmp.resolve("a.zip"));
        Path b = build2(site, "same", tmp.resolve("b.zip"));
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    /** Property: whatever folder shape, what pack writes (either format), import accepts, export repeats. */
    @Test
    void whateverPackWritesImportAccepts() throws IOException {
        SplittableRandom random = new SplittableRandom(20261203);
        String[] names = {"a", "b", "Z", "é", "日本", "x y", "a-b", "a.b", "README", "index.html", "page.html",
                "n.md", "t.txt", "v.mp4", "i.png", "s.svg", "data.json", "ü.htm", "😀.txt", "A"};
        for (int round = 0; round < 12; round++) {
            Path folder = tmp.resolve("shape-" + round);
            Files.createDirectories(folder);
            int files = 1 + random.nextInt(40);
            for (int i = 0; i < files; i++) {
                StringBuilder rel = new StringBuilder();
                int depth = random.nextInt(4);
                for (int d = 0; d < depth; d++) {
                    rel.append(names[random.nextInt(names.length)]).append("-d/");
                }
                rel.append(names[random.nextInt(names.length)]);
                if (random.nextInt(3) == 0) {
                    rel.append(i);
                }
                Path p = folder.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    continue;
                }
                Files.createDirectories(p.getParent());
                int size = random.nextInt(5) == 0 ? 0 : random.nextInt(random.nextInt(10) == 0 ? 1_500_000 : 3000);
                if (random.nextBoolean()) {
                    Files.writeString(p, "<title>T" + i + "</title>" + "text ".repeat(size / 5));
                } else {
                    PackFixtures.writeRandom(folder, rel.toString(), size, random.nextLong());
                }
            }
            try (Library library = Library.open(tmp.resolve("lib-" + round))) {
                Path z2 = build2(folder, "shape" + round, tmp.resolve("s2-" + round + ".zip"));
                new PackImporter(library).importPack(z2, ProgressListener.NONE);
                Path e2 = tmp.resolve("e2-" + round + ".zip");
                new PackExporter(library).export("shape" + round, e2, ProgressListener.NONE);
                assertThat(Files.readAllBytes(e2)).as("round " + round).isEqualTo(Files.readAllBytes(z2));
                Path z1 = PackFixtures.build(folder, "one" + round, "One", tmp.resolve("s1-" + round + ".zip"));
                new PackImporter(library).importPack(z1, ProgressListener.NONE);
                assertThat(library.catalog().items("one" + round)).extracting(Item::path)
                        .as("round " + round).containsExactlyElementsOf(library.catalog().items("shape" + round)
                                .stream().map(Item::path).sorted(PackFormat2Test::readingOrder).toList());
                assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
            }
        }
    }

    /** Format 1 orders items by UTF-16 code units, format 2 by code points: the same but for astral characters. */
    private static int readingOrder(String a, String b) {
        boolean ai = a.equals("index.html");
        boolean bi = b.equals("index.html");
        return ai != bi ? (ai ? -1 : 1) : a.compareTo(b);
    }
}
