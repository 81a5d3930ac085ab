package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.app.Services;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackExporter;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.zim.ZimArchive;

/** {@code /download/ID.zip} and {@code .zim} over real HTTP: the export's bytes, Range, If-Range, resumable. */
class DownloadRoutesTest {

    @RegisterExtension
    static final TestServer server = TestServer.secure().with((library, dir) -> install(library, dir));

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    static void install(Library library, Path dir) throws IOException {
        Path site = PackFixtures.smallSite(dir.resolve("site"));
        PackFixtures.write(site, "кніга/раздзел 1.html", "<!doctype html><title>Раздзел 1</title><p>тэкст</p>");
        PackFixtures.writeRandom(site, "media/clip.webm", 200_000, 3);
        Path zip = dir.resolve("garden.zip");
        PackBuilder.buildStreamed(site, PackBuilder.Options.of("garden", "Garden"), zip, ProgressListener.NONE);
        new PackImporter(library).importPack(zip, ProgressListener.NONE);
    }

    static HttpResponse<byte[]> get(String base, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theZipIsTheExportTwiceInARowWithItsLengthUpFront() throws Exception {
        Path out = tmp.resolve("export.zip");
        new PackExporter(server.library()).export("garden", out, ProgressListener.NONE);
        byte[] exported = Files.readAllBytes(out);
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> r = get(server.url(), "/download/garden.zip");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Length")).hasValue(Long.toString(exported.length));
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");
            assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(r.headers().firstValue("Content-Disposition")).hasValue(
                    "attachment; filename=\"garden-v1.zip\"");
            assertThat(r.body()).isEqualTo(exported);
        }
    }

    @Test
    void aDownloadCutAtHalfResumesToTheSameBytes() throws Exception {
        for (String path : new String[] {"/download/garden.zip", "/download/garden.zim"}) {
            HttpResponse<byte[]> whole = get(server.url(), path);
            byte[] bytes = whole.body();
            String etag = whole.headers().firstValue("ETag").orElseThrow();
            int half = bytes.length / 2;
            HttpResponse<byte[]> first = get(server.url(), path, "Range", "bytes=0-" + (half - 1));
            HttpResponse<byte[]> rest = get(server.url(), path, "Range", "bytes=" + half + "-", "If-Range", etag);
            assertThat(first.statusCode()).isEqualTo(206);
            assertThat(rest.statusCode()).isEqualTo(206);
            assertThat(rest.headers().firstValue("Content-Range"))
                    .hasValue("bytes " + half + "-" + (bytes.length - 1) + "/" + bytes.length);
            byte[] joined = Arrays.copyOf(first.body(), bytes.length);
            System.arraycopy(rest.body(), 0, joined, half, rest.body().length);
            assertThat(joined).as(path).isEqualTo(bytes);

            // Another version's tag: the whole file again, not a piece of a different one.
            HttpResponse<byte[]> changed = get(server.url(), path, "Range", "bytes=" + half + "-", "If-Range",
                    "\"other\"");
            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(changed.body()).isEqualTo(bytes);
            assertThat(get(server.url(), path, "If-None-Match", etag).statusCode()).isEqualTo(304);
            assertThat(get(server.url(), path, "Range", "bytes=" + bytes.length + "-").statusCode()).isEqualTo(416);
        }
    }

    @Test
    void theZimIsAValidZimFile() throws Exception {
        HttpResponse<byte[]> r = get(server.url(), "/download/garden.zim");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(r.body().length));
        Path zim = tmp.resolve("garden.zim");
        Files.write(zim, r.body());
        try (ZimArchive archive = ZimArchive.open(zim)) {
            archive.check();
            assertThat(archive.metadata().title()).isEqualTo("Garden");
        }
    }

    @Test
    void theApiOffersBothDownloadsWithTheirLengths() throws Exception {
        long zip = get(server.url(), "/download/garden.zip").body().length;
        long zim = get(server.url(), "/download/garden.zim").body().length;
        String detail = new String(get(server.url(), "/api/v1/packs/garden").body(), StandardCharsets.UTF_8);
        String list = new String(get(server.url(), "/api/v1/packs").body(), StandardCharsets.UTF_8);
        for (String json : List.of(detail, list)) {
            assertThat(json).contains("{\"kind\":\"zip\",\"url\":\"/download/garden.zip\",\"mediaType\":\"application/zip\","
                    + "\"bytes\":" + zip + "}", "{\"kind\":\"zim\",\"url\":\"/download/garden.zim\","
                    + "\"mediaType\":\"application/x-zim\",\"bytes\":" + zim + "}");
        }
    }

    @Test
    void unknownPacksAreNotFound() throws Exception {
        assertThat(get(server.url(), "/download/nope.zip").statusCode()).isEqualTo(404);
        assertThat(get(server.url(), "/download/nope.zim").statusCode()).isEqualTo(404);
    }

    @Test
    void headTellsTheLengthWithoutPreparingTheBody() throws Exception {
        try (Library library = Library.open(tmp.resolve("head")); JobRunner jobs = new JobRunner()) {
            install(library, tmp);
            Services services = Services.create(library, jobs, Drives.defaults(library), 1 << 20);
            try (WebServer server = WebServer.start(services, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
                HttpResponse<byte[]> head = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.port() + "/download/garden.zim")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(head.statusCode()).isEqualTo(200);
                assertThat(head.headers().firstValue("Content-Length")).isPresent();
                // Writing the whole ZIM would have computed and kept its MD5: a HEAD writes nothing.
                try (var files = Files.walk(library.dataDir().resolve("cache"))) {
                    assertThat(files.filter(f -> f.toString().endsWith(".md5"))).isEmpty();
                }
            } finally {
                services.close();
            }
        }
    }

    @Test
    void theAdminCanTurnDownloadsOff() throws Exception {
        try (Library library = Library.open(tmp.resolve("data")); JobRunner jobs = new JobRunner()) {
            install(library, tmp);
            Services services = Services.create(library, jobs, Drives.defaults(library), 1 << 20)
                    .withDownloads(false);
            try (WebServer off = WebServer.start(services, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
                String base = "http://127.0.0.1:" + off.port();
                assertThat(get(base, "/download/garden.zip").statusCode()).isEqualTo(404);
                assertThat(get(base, "/download/garden.zim").statusCode()).isEqualTo(404);
                assertThat(new String(get(base, "/api/v1/packs/garden").body(), StandardCharsets.UTF_8))
                        .contains("\"downloads\":[]");
            } finally {
                services.close();
            }
        }
    }
}
