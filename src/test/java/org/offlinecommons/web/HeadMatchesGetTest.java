package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ProgressListener;

/**
 * HEAD answers what GET answers, without the body, on every GET route the running server has,
 * read from its router: a route added later is covered without touching this test.
 */
class HeadMatchesGetTest {

    private static final List<String> HEADERS = List.of("Content-Type", "Content-Length", "ETag", "Last-Modified",
            "Cache-Control", "Location", "Accept-Ranges", "Retry-After");

    @RegisterExtension
    static final TestServer server = TestServer.secure().with((library, tmp) -> new PackImporter(library).importPack(
            AdminFixtures.pack(tmp, "garden", "Garden", "index.html", "<title>Garden</title>"), ProgressListener.NONE));

    /** Each GET route twice: with parameters that name something, and with ones that name nothing. */
    static List<String> urls() {
        List<String> urls = server.server().endpoints().stream().filter(e -> e.method().equals("GET"))
                .flatMap(e -> java.util.stream.Stream.of(
                        e.path().replace("{id}", "garden").replace("{position}", "1").replaceAll("\\{[^}]+}", "nope")
                                .replaceAll("<[^>]+>", "index.html"),
                        e.path().replaceAll("\\{[^}]+}", "nope").replaceAll("<[^>]+>", "nope")))
                .distinct().toList();
        assertThat(urls).contains("/healthz", "/pack/garden", "/api/v1/packs/nope", "/api/v1/drives");
        return urls;
    }

    @Test
    void headAnswersLikeGetOnEveryGetRoute() throws Exception {
        for (Http client : List.of(server.http(), server.admin())) {
            for (String url : urls()) {
                HttpResponse<String> get = client.send(client.admin(url).GET());
                HttpResponse<String> head = client.send(client.admin(url).method("HEAD", HttpRequest.BodyPublishers.noBody()));
                assertThat(head.statusCode()).as("HEAD " + url).isEqualTo(get.statusCode());
                assertThat(head.body()).as("HEAD " + url).isEmpty();
                for (String h : HEADERS) {
                    Optional<String> want = get.headers().firstValue(h);
                    Optional<String> got = head.headers().firstValue(h);
                    if (h.equals("Content-Length") && got.isEmpty()) {
                        continue; // allowed: HEAD need not know the length of what it does not send
                    }
                    if (h.equals("Content-Length") && want.isEmpty()) {
                        continue; // GET streamed its body (chunked); HEAD may still know its length
                    }
                    assertThat(got).as("HEAD " + url + " " + h).isEqualTo(want);
                }
            }
        }
    }

    @Test
    void noBodyCrossesTheWireAfterTheHeaders() throws Exception {
        for (String url : List.of("/pack/garden", "/healthz", "/api/v1/packs/nope")) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(("HEAD " + url + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String raw = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(raw).as(url).contains("\r\n\r\n");
                assertThat(raw.substring(raw.indexOf("\r\n\r\n") + 4)).as(url).isEmpty();
            }
        }
    }
}
