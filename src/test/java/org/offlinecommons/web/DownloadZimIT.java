package org.offlinecommons.web;

import static org.offlinecommons.ExternalTools.encodePath;
import static org.offlinecommons.ExternalTools.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import org.offlinecommons.ExternalTools;
import org.offlinecommons.ExternalTools.Result;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.StoredFile;

/**
 * ZIMs of installed packs, read by tools we did not write: the CLI's {@code export --zim} and the
 * server's {@code /download/ID.zim} give the same file, which passes {@code zimcheck -A}, lists every
 * file in {@code zimdump} with the pack's titles, and which {@code kiwix-serve} serves with the same
 * bytes as our server: for the field notes, a folder pack with nested UTF-8 paths, and a pack imported
 * from a ZIM (the Belarusian Wikibooks sample, with redirects).
 */
class DownloadZimIT {

    @RegisterExtension
    static final TestServer server = TestServer.open().with(DownloadZimIT::install);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The id the ZIM sample got when imported. */
    static String fromZim;

    static void install(Library library, Path dir) throws IOException {
        Path sample = org.offlinecommons.pack.ZimTestFiles.SAMPLES.resolve("nons/wikibooks_be_all_nopic_2017-02.zim");
        fromZim = new PackImporter(library).importPack(sample, ProgressListener.NONE).packId();

        Path fieldNotes = dir.resolve("field-notes.zip");
        PackBuilder.build(Path.of("content-packs/field-notes"), PackBuilder.Options.of(null, null), fieldNotes,
                ProgressListener.NONE);
        new PackImporter(library).importPack(fieldNotes, ProgressListener.NONE);

        Path site = dir.resolve("nested");
        PackFixtures.smallSite(site);
        PackFixtures.write(site, "кніга/частка 1/раздзел ü.html",
                "<!doctype html><title>Раздзел ü</title><p>тэкст <a href=\"../../index.html\">home</a></p>");
        PackFixtures.write(site, "عربي/مقالة أولى.html", "<!doctype html><title>مقالة أولى</title><p>نص</p>");
        PackFixtures.write(site, "中文/深/页面.html", "<!doctype html><title>页面</title><p>文字</p>");
        PackFixtures.write(site, "css/style.css", "body { font-family: serif; }\n");
        PackFixtures.writeRandom(site, "media/photo one.jpg", 90_000, 8);
        Path nested = dir.resolve("nested.zip");
        PackBuilder.buildStreamed(site, new PackBuilder.Options("nested-utf8", "Nested UTF-8 paths", 2L, "be",
                "CC0-1.0", "A folder of pages in many scripts.", List.of("Offline Commons tests"), "2026-12-01",
                "index.html"), nested, ProgressListener.NONE);
        new PackImporter(library).importPack(nested, ProgressListener.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"field-notes", "nested-utf8", "from-zim"})
    void theZimOfAPackIsReadByZimToolsAndKiwixServe(String asked) throws Exception {
        String id = asked.equals("from-zim") ? fromZim : asked;
        Path dir = server.dir();
        Path fromCli = dir.resolve(id + "-cli.zim");
        Result export = run(Duration.ofSeconds(300), List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), "org.offlinecommons.cli.Main", "export", id,
                "--zim", fromCli.toString(), "--data", server.library().dataDir().toString()));
        assertThat(export.exit()).as(export.output()).isZero();
        HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/download/" + id
                + ".zim")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(Files.readAllBytes(fromCli));
        Path zim = dir.resolve(id + ".zim");
        Files.write(zim, download.body());

        Result check = run(Duration.ofSeconds(300), List.of("zimcheck", "-A", zim.toString()));
        assertThat(check.output()).contains("Overall Test Status: Pass").doesNotContain("[ERROR]");
        assertThat(check.exit()).as(check.output()).isZero();

        List<StoredFile> files = server.library().catalog().files(id).stream().filter(f -> f.size() > 0).toList();
        Map<String, String> titles = zimdumpTitles(zim);
        assertThat(titles.keySet()).containsExactlyInAnyOrderElementsOf(files.stream().map(StoredFile::path).toList());
        Map<String, String> itemTitles = new HashMap<>();
        for (Item item : server.library().catalog().items(id)) {
            itemTitles.putIfAbsent(item.path(), item.title());
        }
        assertThat(itemTitles).isNotEmpty();
        itemTitles.forEach((path, title) -> assertThat(titles.get(path)).as(path)
                .isEqualTo(title.isEmpty() ? path : title));

        try (ExternalTools.KiwixServe kiwix = ExternalTools.KiwixServe.start(zim, dir.resolve("kiwix-serve-" + id + ".log"))) {
            String base = kiwix.base();
            String book = zim.getFileName().toString().replace(".zim", "");
            for (StoredFile f : files) {
                HttpResponse<byte[]> ours = send(server.url() + "/packs/" + id + "/" + encodePath(f.path()));
                HttpResponse<byte[]> theirs = send(base + "/raw/" + book + "/content/" + encodePath(f.path()));
                // A redirect (from a ZIM) is a redirect on both sides; everything else the same bytes.
                assertThat(theirs.statusCode()).as(f.path()).isEqualTo(ours.statusCode()).isIn(200, 302);
                if (ours.statusCode() == 200) {
                    assertThat(theirs.body()).as(f.path()).hasSize((int) f.size()).isEqualTo(ours.body());
                }
            }
            HttpResponse<String> catalog = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/catalog/v2/entries"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String title = server.library().catalog().pack(id).orElseThrow().title();
            assertThat(catalog.body()).contains("<title>" + (title.length() > 30 ? title.substring(0, 29) : title));
        }
    }

    private static HttpResponse<byte[]> send(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] get(String url) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    /** zimdump's paths and titles of the user content. */
    private static Map<String, String> zimdumpTitles(Path zim) throws Exception {
        String out = run(Duration.ofSeconds(300), List.of("zimdump", "list", "--details", zim.toString())).output();
        Map<String, String> titles = new LinkedHashMap<>();
        String path = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("path: ")) {
                path = line.substring(6);
            } else if (line.startsWith("* title:") && path != null) {
                titles.put(path, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return titles;
    }




}
