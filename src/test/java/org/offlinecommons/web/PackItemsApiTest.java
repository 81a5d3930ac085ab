package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ProgressListener;

/** {@code GET /api/v1/packs/{id}} sends a pack's items a page at a time, over real HTTP. */
class PackItemsApiTest {

    @RegisterExtension
    static final TestServer server = TestServer.secure().with((library, tmp) -> {
        Path site = tmp.resolve("site");
        for (int i = 0; i < 25; i++) {
            PackFixtures.write(site, String.format("p%02d.html", i), "<title>Page " + i + "</title><p>x</p>");
        }
        new PackImporter(library).importPack(PackFixtures.build(site, "paged", "Paged", tmp.resolve("p.zip")),
                ProgressListener.NONE);
    });

    @Test
    void itemsComeInPagesThatTogetherAreEveryItemInReadingOrder() throws Exception {
        Http http = server.http();
        List<String> titles = new ArrayList<>();
        Integer offset = 0;
        int pages = 0;
        while (offset != null) {
            HttpResponse<String> r = http.get("/api/v1/packs/paged?limit=10&offset=" + offset);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = Http.json(r);
            assertThat(body.get("itemCount").asInt()).isEqualTo(25);
            assertThat(body.get("items").size()).isLessThanOrEqualTo(10);
            body.get("items").forEach(it -> titles.add(it.get("title").asText()));
            offset = body.get("nextOffset").isNull() ? null : body.get("nextOffset").asInt();
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(titles).hasSize(25).startsWith("Page 0", "Page 1").endsWith("Page 24");
        assertThat(http.get("/api/v1/packs/paged?limit=many").statusCode()).isEqualTo(400);
    }
}
