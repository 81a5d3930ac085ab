package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.web.WebServer;
import org.offlinecommons.web.content.ContentUrls;
import org.offlinecommons.zim.ZimTestWriter;

/** ZIM imports at size: a zimwriterfs ZIM of thousands of files, 200,000 entries in a small heap, damaged files. */
class ZimImportIT {

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path tmp;

    @Test
    void aZimwriterfsZimOfThousandsOfFilesIsServedByteIdenticalAndSearchable() throws Exception {
        Path folder = tmp.resolve("site");
        Random random = new Random(21);
        write(folder, "index.html", page("Home", "welcome"));
        for (int i = 0; i < 2500; i++) {
            write(folder, String.format("pages/%02d/p%04d.html", i % 50, i), page("Page " + i, "zimword" + i));
        }
        for (int i = 0; i < 300; i++) {
            byte[] data = new byte[1 + random.nextInt(i % 30 == 0 ? 300_000 : 3000)];
            random.nextBytes(data);
            write(folder, "data/blob-" + i + ".bin", data);
        }
        write(folder, "css/style.css", "body { font-family: serif; }\n".getBytes(StandardCharsets.UTF_8));
        write(folder, "кніга/раздзел.html", page("Раздзел", "тэкст"));
        java.awt.image.BufferedImage icon = new java.awt.image.BufferedImage(48, 48,
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(icon, "png", png);
        write(folder, "css/icon.png", png.toByteArray());
        Path zim = tmp.resolve("site.zim");
        run("zimwriterfs", "--welcome=index.html", "--illustration=css/icon.png", "--language=eng",
                "--title=Thousands", "--description=Generated", "--creator=Offline Commons",
                "--publisher=Offline Commons tests", "--name=oc_thousands", "--withoutFTIndex", "--threads=1",
                folder.toString(), zim.toString());

        try (Library library = Library.open(tmp.resolve("data")); JobRunner jobs = new JobRunner()) {
            ImportResult r = new PackImporter(library).importPack(zim, ProgressListener.NONE);
            assertThat(r.packId()).isEqualTo("oc-thousands");
            List<Path> files;
            try (Stream<Path> s = Files.walk(folder)) {
                files = s.filter(Files::isRegularFile).toList();
            }
            assertThat(files).hasSizeGreaterThan(2800);
            try (WebServer server = WebServer.start(library, jobs, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
                String base = "http://127.0.0.1:" + server.port();
                for (Path file : files) {
                    String path = folder.relativize(file).toString().replace('\\', '/');
                    HttpResponse<byte[]> got = HTTP.send(HttpRequest.newBuilder(URI.create(base
                            + ContentUrls.file(r.packId(), path))).build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(got.statusCode()).as(path).isEqualTo(200);
                    assertThat(got.body()).as(path).isEqualTo(Files.readAllBytes(file));
                }
            }
            assertThat(library.search().search("zimword1234", r.packId(), 10, 0).hits()).singleElement()
                    .satisfies(h -> assertThat(h.item().title()).isEqualTo("Page 1234"));
            assertThat(library.catalog().pack(r.packId()).orElseThrow().itemCount()).isGreaterThanOrEqualTo(2502);
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).problems()).isEmpty();
        }
    }

    @Test
    void aPathThatIsAlsoAFolderIsServedBothWays() throws Exception {
        Path folder = tmp.resolve("site");
        write(folder, "index.html", page("Home", "welcome"));
        write(folder, "topic/page.html", page("Page", "inside"));
        Path zim = ZimTestWriter.write(folder, Map.of("topic", "topic/page.html"), "oc_folder", "Folder",
                "2026-03-01", "index.html", tmp.resolve("folder.zim"));
        try (Library library = Library.open(tmp.resolve("data")); JobRunner jobs = new JobRunner();
             WebServer server = WebServer.start(library, jobs, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
            new PackImporter(library).importPack(zim, ProgressListener.NONE);
            String base = "http://127.0.0.1:" + server.port() + "/packs/oc-folder/";
            HttpResponse<Void> folderPath = HTTP.send(HttpRequest.newBuilder(URI.create(base + "topic")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(folderPath.statusCode()).isEqualTo(302);
            assertThat(folderPath.headers().firstValue("Location")).hasValue("/packs/oc-folder/topic/page.html");
            HttpResponse<String> inside = HTTP.send(HttpRequest.newBuilder(URI.create(base + "topic/page.html"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(inside.body()).contains("inside");
            assertThat(inside.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        }
    }

    @Test
    void twoHundredThousandEntriesImportInA128MegabyteHeap() throws Exception {
        Path zim = tmp.resolve("big.zim");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        run(java, "-Xmx128m", "-cp", cp, "org.offlinecommons.zim.GeneratedZimInput", "200000", zim.toString());
        String out = new String(run(java, "-Xmx128m", "-cp", cp, ZimImportMain.class.getName(),
                tmp.resolve("data").toString(), zim.toString()), StandardCharsets.UTF_8);
        System.out.println("ZIM import, 200,000 entries, -Xmx128m: " + out.strip());
        assertThat(out).contains("files=200001"); // and the icon
        try (Library library = Library.open(tmp.resolve("data"))) {
            PackRecord pack = library.catalog().packs().get(0);
            assertThat(pack.itemCount()).isEqualTo(180_000);
        }
    }

    @Test
    void damagedZimsAreRefusedByNameAndChangeNothing() throws Exception {
        try (Library library = Library.open(tmp.resolve("data"))) {
            PackImporter importer = new PackImporter(library);
            importer.importPack(ZimTestFiles.SAMPLES.resolve("withns/small.zim"), ProgressListener.NONE);
            List<PackRecord> before = library.catalog().packs();
            long stored = library.chunks().storedBytes();
            for (String sample : List.of("nons/wikibooks_be_all_nopic_2017-02.zim",
                    "withns/wikibooks_be_all_nopic_2017-02.zim")) {
                byte[] original = Files.readAllBytes(ZimTestFiles.SAMPLES.resolve(sample));
                Random random = new Random(sample.hashCode());
                for (int i = 0; i < 30; i++) {
                    byte[] damaged = i < 20 ? original.clone()
                            : Arrays.copyOf(original, random.nextInt(original.length));
                    if (i < 20) {
                        for (int f = 0; f < 1 + random.nextInt(3); f++) {
                            damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
                        }
                    }
                    Path file = tmp.resolve("damaged-" + i + ".zim");
                    Files.write(file, damaged);
                    assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                            assertThatThrownBy(() -> importer.importPack(file, ProgressListener.NONE))
                                    .isInstanceOf(PackException.class)
                                    .hasMessageStartingWith(file.getFileName() + ": "));
                }
            }
            assertThat(library.catalog().packs()).isEqualTo(before);
            assertThat(library.chunks().storedBytes()).isEqualTo(stored);
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).problems()).isEmpty();
        }
    }

    private static byte[] page(String title, String word) {
        return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title>"
                + "<link rel=\"stylesheet\" href=\"css/style.css\"></head><body><h1>" + title + "</h1>\n<p>" + word
                + " and more words about rivers</p></body></html>\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Path folder, String path, byte[] content) throws IOException {
        Path file = folder.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    static byte[] run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + List.of(command));
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + List.of(command));
        }
        return out.toByteArray();
    }
}
