package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.job.Jobs;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.web.content.ContentUrls;

/** Raw pack content over real HTTP: bytes, types, caching, ranges, compression, errors. */
class ContentRoutesTest {

    static byte[] media;

    @RegisterExtension
    static final TestServer server = TestServer.secure().with((library, tmp) -> {
        Path site = PackFixtures.smallSite(tmp.resolve("site"));
        PackFixtures.writeRandom(site, "media/clip.mp4", 2_500_000, 42);
        PackFixtures.write(site, "dir with space/ça va?.txt", "Bonjour\n");
        PackFixtures.write(site, "long.html", "<title>Long</title>" + "<p>The same words again and again.</p>".repeat(200));
        media = Files.readAllBytes(site.resolve("media/clip.mp4"));
        new PackImporter(library).importPack(PackFixtures.build(site, "garden", "Garden", tmp.resolve("g.zip")),
                ProgressListener.NONE);
    });

    @Test
    void aNewVersionOrADeletionIsServedAndSearchedAsSoonAsItIsCommitted_evenFromAnotherProcess() throws Exception {
        Library library = server.library();
        Path tmp = server.dir();
        // Asked twice before each change, so that the second answer is a remembered one.
        assertThat(new String(server.http().getBytes("/api/v1/search?q=pomology").body())).contains("\"total\":0");
        assertThat(new String(server.http().getBytes("/api/v1/search?q=pomology").body())).contains("\"total\":0");
        Path v1 = PackFixtures.write(tmp.resolve("orchard-1"), "trees/apple.html",
                        "<title>Apple</title><p>one, about pomology</p>")
                .getParent().getParent();
        new PackImporter(library).importPack(PackFixtures.build(v1,
                new PackBuilder.Options("orchard", "Orchard", 1L, null, null, null, null, null, null),
                tmp.resolve("orchard-1.zip")), ProgressListener.NONE);
        // Twice: the second answer comes from what the server remembers about the file.
        assertThat(new String(server.http().getBytes("/packs/orchard/trees/apple.html").body())).contains("one");
        assertThat(new String(server.http().getBytes("/packs/orchard/trees/apple.html").body())).contains("one");
        assertThat(new String(server.http().getBytes("/api/v1/search?q=pomology").body())).contains("\"total\":1");
        assertThat(new String(server.http().getBytes("/api/v1/search?q=pomology").body())).contains("\"total\":1");

        Path v2 = PackFixtures.write(tmp.resolve("orchard-2"), "trees/apple.html", "<title>Apple</title><p>two</p>")
                .getParent().getParent();
        new PackImporter(library).importPack(PackFixtures.build(v2,
                new PackBuilder.Options("orchard", "Orchard", 2L, null, null, null, null, null, null),
                tmp.resolve("orchard-2.zip")), ProgressListener.NONE);
        assertThat(new String(server.http().getBytes("/packs/orchard/trees/apple.html").body())).contains("two");
        assertThat(new String(server.http().getBytes("/api/v1/search?q=pomology").body())).contains("\"total\":0");

        // The CLI deleting the pack next to the running server: connections of its own.
        try (Library cli = Library.open(tmp.resolve("data"))) {
            assertThat(cli.delete("orchard")).isTrue();
        }
        // Seen within the server's bound for another process's commits (a tenth of a second), with room for a busy machine.
        long deleted = System.nanoTime();
        Jobs.until("the server sees the other process's delete",
                () -> server.http().getBytes("/packs/orchard/trees/apple.html").statusCode() != 200);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - deleted)).isLessThan(java.time.Duration.ofSeconds(5));
        assertThat(server.http().getBytes("/packs/orchard/trees/apple.html").statusCode()).isEqualTo(404);
    }

    @Test
    void servesTheExactBytesWithTypeAndEtag() throws Exception {
        HttpResponse<byte[]> r = server.http().getBytes("/packs/garden/media/clip.mp4");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(media);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(r.headers().firstValue("ETag")).get().asString().matches("\"[0-9a-f]{64}\"");
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(media.length));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void theEntryPageIsServedAtThePackRootSoRelativeLinksWork() throws Exception {
        HttpResponse<byte[]> root = server.http().getBytes("/packs/garden/");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(new String(root.body())).contains("href=\"plants/beans.html\"");
        assertThat(root.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(server.http().getBytes("/packs/garden/plants/beans.html").statusCode()).isEqualTo(200);
    }

    @Test
    void encodedPathsWithSpacesAndUnicodeWork() throws Exception {
        HttpResponse<byte[]> r = server.http().getBytes("/packs/garden/" + ContentUrls.encodePath("dir with space/ça va?.txt"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("Bonjour\n");
    }

    @Test
    void aMatchingEtagGives304() throws Exception {
        String etag = server.http().getBytes("/packs/garden/index.html").headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> r = server.http().getBytes("/packs/garden/index.html", "If-None-Match", etag);
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(server.http().getBytes("/packs/garden/index.html", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void rangesGive206WithExactlyTheRequestedBytes() throws Exception {
        HttpResponse<byte[]> r = server.http().getBytes("/packs/garden/media/clip.mp4", "Range", "bytes=1048570-1048585");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(media, 1048570, 1048586));
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 1048570-1048585/" + media.length);

        HttpResponse<byte[]> open = server.http().getBytes("/packs/garden/media/clip.mp4", "Range", "bytes=2400000-");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(media, 2400000, media.length));
        HttpResponse<byte[]> suffix = server.http().getBytes("/packs/garden/media/clip.mp4", "Range", "bytes=-10");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(media, media.length - 10, media.length));
    }

    @Test
    void anUnsatisfiableRangeGives416() throws Exception {
        HttpResponse<byte[]> r = server.http().getBytes("/packs/garden/media/clip.mp4", "Range", "bytes=9999999-");
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */" + media.length);
    }

    @Test
    void textIsGzippedWhenAskedAndMediaIsNot() throws Exception {
        HttpResponse<byte[]> video = server.http().getBytes("/packs/garden/media/clip.mp4", "Accept-Encoding", "gzip");
        assertThat(video.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(video.body()).isEqualTo(media);

        HttpResponse<byte[]> text = server.http().getBytes("/packs/garden/long.html", "Accept-Encoding", "gzip");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(text.body().length).isLessThan(1000);
        byte[] plain = new GZIPInputStream(new ByteArrayInputStream(text.body())).readAllBytes();
        assertThat(new String(plain)).startsWith("<title>Long</title>").hasSize(19 + 38 * 200);

        HttpResponse<byte[]> identity = server.http().getBytes("/packs/garden/long.html");
        assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(identity.body()).isEqualTo(plain);
    }

    /**
     * The first answer of each kind needs the library; the same question again is answered from
     * memory on Jetty's selector thread (InlineFileHandler). Both must be the same answer.
     */
    @Test
    void aFileAskedAgainIsAnsweredFromMemoryExactlyAsTheFirstTime() throws Exception {
        String etag = server.http().getBytes("/packs/garden/long.html").headers().firstValue("ETag").orElseThrow();
        String[][] asks = {
                {"Accept-Encoding", "gzip"},
                {"Range", "bytes=5-20"},
                {"If-None-Match", etag},
                {"Accept-Encoding", "identity"},
        };
        for (String[] headers : asks) {
            HttpResponse<byte[]> first = server.http().getBytes("/packs/garden/long.html", headers);
            HttpResponse<byte[]> again = server.http().getBytes("/packs/garden/long.html", headers);
            assertThat(again.statusCode()).as(headers[0]).isEqualTo(first.statusCode());
            assertThat(again.body()).as(headers[0]).isEqualTo(first.body());
            for (String name : new String[] {"ETag", "Content-Type", "Content-Length", "Content-Encoding",
                    "Content-Range", "Cache-Control", "Vary", "Content-Security-Policy", "X-Content-Type-Options"}) {
                assertThat(again.headers().allValues(name)).as(headers[0] + ": " + name)
                        .isEqualTo(first.headers().allValues(name));
            }
        }
        assertThat(server.http().getBytes("/packs/garden/long.html", "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> ranged = server.http().getBytes("/packs/garden/long.html", "Range", "bytes=5-20");
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(new String(ranged.body(), StandardCharsets.UTF_8)).isEqualTo("e>Long</title><p");
        HttpResponse<byte[]> head = server.http().bytes("HEAD", "/packs/garden/long.html", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(19 + 38 * 200));
    }

    @Test
    void headAnswersWithHeadersOnly() throws Exception {
        HttpResponse<byte[]> r = server.http().bytes("HEAD", "/packs/garden/media/clip.mp4", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(media.length));
        assertThat(r.body()).isEmpty();
    }

    @Test
    void unknownPacksAndFilesAre404WithAJsonError() throws Exception {
        HttpResponse<byte[]> r = server.http().getBytes("/packs/nope/index.html");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(new String(r.body())).contains("\"error\":\"not_found\"").contains("There is no pack called “nope” in this library.");
        HttpResponse<byte[]> f = server.http().getBytes("/packs/garden/missing.html");
        assertThat(f.statusCode()).isEqualTo(404);
        assertThat(new String(f.body())).contains("The pack “garden” has no file “missing.html”.");
    }

    @Test
    void aBrokenLinkFollowedInABrowserGetsAPageInWordsStillSandboxed() throws Exception {
        String browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        HttpResponse<byte[]> r = server.http().getBytes("/packs/garden/missing.html", "Accept", browser);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("<!DOCTYPE html>").contains("Page not found");
        assertThat(r.headers().firstValue("Content-Security-Policy")).get().asString().contains("sandbox");
        // An image or a player asking for a missing file is a program: it keeps the short JSON answer.
        HttpResponse<byte[]> img = server.http().getBytes("/packs/garden/missing.png", "Accept", "image/avif,image/webp,*/*");
        assertThat(img.statusCode()).isEqualTo(404);
        assertThat(img.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
    }

    @Test
    void searchAnswersAreTheSameReusedOrComputedAfresh() throws Exception {
        HttpResponse<byte[]> first = server.http().getBytes("/api/v1/search?q=beans");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        assertThat(new String(first.body())).contains("\"path\":\"plants/beans.html\"");
        assertThat(server.http().getBytes("/api/v1/search?q=beans").body()).isEqualTo(first.body());
        assertThat(server.http().getBytes("/api/v1/search?q=beans", "Cache-Control", "no-cache").body()).isEqualTo(first.body());
    }

    @Test
    void traversalAttemptsNeverLeaveThePack() throws Exception {
        for (String attack : new String[] {"/packs/garden/..%2F..%2Fetc%2Fpasswd", "/packs/garden/a%5C..%5Cb",
                "/packs/garden/%2e%2e/%2e%2e/etc/passwd", "/packs/garden/x%00.html",
                "/packs/garden/%252e%252e%252fetc%252fpasswd"}) {
            HttpResponse<byte[]> r = server.http().getBytes(attack);
            assertThat(r.statusCode()).as(attack).isIn(400, 404);
            assertThat(new String(r.body())).as(attack).doesNotContain("root:");
        }
    }
}
