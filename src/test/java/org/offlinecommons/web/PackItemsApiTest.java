package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

/** {@code GET /api/v1/packs/{id}} sends a pack's items a page at a time, over real HTTP. */
class PackItemsApiTest {

    @TempDir
    Path tmp;

    @Test
    void itemsComeInPagesThatTogetherAreEveryItemInReadingOrder() throws Exception {
        Path site = tmp.resolve("site");
        for (int i = 0; i < 25; i++) {
            PackFixtures.write(site, String.format("p%02d.html", i), "<title>Page " + i + "</title><p>x</p>");
        }
        try (Library library = Library.open(tmp.resolve("data"))) {
            new PackImporter(library).importPack(PackFixtures.build(site, "paged", "Paged", tmp.resolve("p.zip")),
                    ProgressListener.NONE);
            try (WebServer server = WebServer.start(library, new JobRunner(), new WebServer.Options("127.0.0.1", 0))) {
                HttpClient http = HttpClient.newHttpClient();
                ObjectMapper json = new ObjectMapper();
                List<String> titles = new ArrayList<>();
                Integer offset = 0;
                int pages = 0;
                while (offset != null) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + server.port() + "/api/v1/packs/paged?limit=10&offset=" + offset)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    JsonNode body = json.readTree(r.body());
                    assertThat(body.get("itemCount").asInt()).isEqualTo(25);
                    assertThat(body.get("items").size()).isLessThanOrEqualTo(10);
                    body.get("items").forEach(it -> titles.add(it.get("title").asText()));
                    offset = body.get("nextOffset").isNull() ? null : body.get("nextOffset").asInt();
                    pages++;
                }
                assertThat(pages).isEqualTo(3);
                assertThat(titles).hasSize(25).startsWith("Page 0", "Page 1").endsWith("Page 24");
                HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.port() + "/api/v1/packs/paged?limit=many")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).isEqualTo(400);
            }
        }
    }
}
