package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.job.Jobs;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

/**
 * The home and pack pages are rendered once and then sent as they were kept: never older than
 * the library, never in another visitor's language.
 */
class RenderedPagesTest {

    @RegisterExtension
    final TestServer server = TestServer.secure();

    @Test
    void aKeptPageShowsEveryChangeToTheLibrary_evenFromAnotherProcess() throws Exception {
        Library library = server.library();
        Path tmp = server.dir();
        importOrchard(library, tmp, 1, "<title>Apple trees</title><p>one</p>");
        // Each page asked twice, so that the second answer is the kept one.
        assertThat(page("/pack/orchard")).contains("Apple trees").doesNotContain("Pear trees");
        assertThat(page("/pack/orchard")).contains("Apple trees").doesNotContain("Pear trees");
        assertThat(page("/")).contains("Orchard", "1 item");
        assertThat(page("/")).contains("Orchard", "1 item");

        Path v2 = PackFixtures.write(tmp.resolve("orchard-2"), "trees/apple.html", "<title>Apple trees</title><p>two</p>")
                .getParent().getParent();
        PackFixtures.write(v2, "trees/pear.html", "<title>Pear trees</title><p>two</p>");
        new PackImporter(library).importPack(PackFixtures.build(v2,
                new PackBuilder.Options("orchard", "Orchard", 2L, null, null, null, null, null, null),
                tmp.resolve("orchard-2.zip")), ProgressListener.NONE);
        assertThat(page("/pack/orchard")).contains("Apple trees", "Pear trees");
        assertThat(page("/")).contains("Orchard", "2 items");

        // The CLI deleting the pack next to the running server: seen within the server's bound for another
        // process's commits (a tenth of a second), with room for a busy machine.
        try (Library cli = Library.open(tmp.resolve("data"))) {
            assertThat(cli.delete("orchard")).isTrue();
        }
        long deleted = System.nanoTime();
        Jobs.until("the pages show the other process's delete", () -> server.http().get("/pack/orchard").statusCode() == 404
                && !page("/").contains("Orchard"));
        assertThat(Duration.ofNanos(System.nanoTime() - deleted)).isLessThan(Duration.ofSeconds(5));
        assertThat(page("/")).doesNotContain("Orchard");
        assertThat(server.http().get("/pack/orchard").statusCode()).isEqualTo(404);
    }

    @Test
    void aKeptPageIsInEachVisitorsLanguage() throws Exception {
        importOrchard(server.library(), server.dir(), 1, "<title>Apple trees</title><p>one</p>");
        for (String language : new String[] {"fr", "en", "fr", "ar", "en"}) {
            for (String path : new String[] {"/", "/pack/orchard"}) {
                HttpResponse<String> r = server.http().get(path, "Accept-Language", language);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).as(path + " in " + language).contains("<html lang=\"" + language + "\"");
                assertThat(r.headers().firstValue("Content-Language")).contains(language);
            }
        }
    }

    @Test
    void aKeptPageGoesToBrowsersGzippedAsKept() throws Exception {
        importOrchard(server.library(), server.dir(), 1, "<title>Apple trees</title><p>one</p>");
        for (String path : new String[] {"/", "/pack/orchard"}) {
            byte[] plain = server.http().getBytes(path, "Accept-Language", "en").body();
            for (int i = 0; i < 2; i++) {
                HttpResponse<byte[]> gz = server.http().getBytes(path, "Accept-Language", "en",
                        "Accept-Encoding", "gzip, deflate, br");
                assertThat(gz.headers().firstValue("Content-Encoding")).as(path).contains("gzip");
                assertThat(gz.headers().allValues("Vary")).as(path).anySatisfy(v -> assertThat(v).contains("Accept-Encoding"));
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
                    assertThat(in.readAllBytes()).as(path).isEqualTo(plain);
                }
            }
            HttpResponse<byte[]> refused = server.http().getBytes(path, "Accept-Language", "en",
                    "Accept-Encoding", "gzip;q=0");
            assertThat(refused.headers().firstValue("Content-Encoding")).as(path).isEmpty();
            assertThat(refused.body()).as(path).isEqualTo(plain);
        }
    }

    private String page(String path) throws Exception {
        HttpResponse<String> r = server.http().get(path, "Accept-Language", "en");
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    private static void importOrchard(Library library, Path tmp, long version, String apple) throws Exception {
        Path site = PackFixtures.write(tmp.resolve("orchard-" + version), "trees/apple.html", apple)
                .getParent().getParent();
        new PackImporter(library).importPack(PackFixtures.build(site,
                new PackBuilder.Options("orchard", "Orchard", version, null, null, null, null, null, null),
                tmp.resolve("orchard-" + version + ".zip")), ProgressListener.NONE);
    }
}
