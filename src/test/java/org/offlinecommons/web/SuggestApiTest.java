package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ProgressListener;

/** {@code GET /api/v1/suggest}: titles while typing, over real HTTP, each opening its item. */
class SuggestApiTest {

    @RegisterExtension
    static final TestServer server = TestServer.secure().with((library, tmp) -> {
        Path site = PackFixtures.smallSite(tmp.resolve("site"));
        PackFixtures.write(site, "plants/greens.html", "<title>Green beans and peas</title><p>Greens.</p>");
        new PackImporter(library).importPack(PackFixtures.build(site, "garden", "The Garden",
                tmp.resolve("garden.zip")), ProgressListener.NONE);
        Path other = tmp.resolve("other");
        PackFixtures.write(other, "index.html", "<title>Growing up</title><p>Other pack.</p>");
        new PackImporter(library).importPack(PackFixtures.build(other, "other", "Another Pack",
                tmp.resolve("other.zip")), ProgressListener.NONE);
    });

    private static JsonNode suggest(String query) throws Exception {
        HttpResponse<String> r = server.http().get("/api/v1/suggest?" + query);
        assertThat(r.statusCode()).as(query).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        return Http.json(r);
    }

    private static List<String> titles(JsonNode answer) {
        List<String> titles = new ArrayList<>();
        answer.get("suggestions").forEach(s -> titles.add(s.get("title").asText()));
        return titles;
    }

    @Test
    void titlesStartingAsTypedComeWithTheAddressThatOpensThem() throws Exception {
        JsonNode answer = suggest("q=gro");
        assertThat(answer.get("query").asText()).isEqualTo("gro");
        assertThat(titles(answer)).containsExactly("Growing up", "Growing beans");
        JsonNode beans = answer.get("suggestions").get(1);
        assertThat(beans.get("pack").asText()).isEqualTo("garden");
        assertThat(beans.get("packTitle").asText()).isEqualTo("The Garden");
        assertThat(beans.get("path").asText()).isEqualTo("plants/beans.html");
        HttpResponse<String> page = server.http().get(beans.get("url").asText());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Beans need sun");
        // A note opens in the reader, under its stable address.
        JsonNode soil = suggest("q=soil").get("suggestions").get(0);
        assertThat(soil.get("url").asText()).startsWith("/read/garden/");
        assertThat(server.http().get(soil.get("url").asText()).body()).contains("Compost feeds");
    }

    @Test
    void aPackAndALimitNarrowThem() throws Exception {
        assertThat(titles(suggest("q=gro&pack=garden"))).containsExactly("Growing beans");
        assertThat(titles(suggest("q=be&limit=1"))).hasSize(1);
        assertThat(titles(suggest("q=beans"))).containsExactly("Growing beans", "Green beans and peas");
        assertThat(titles(suggest("q=gro&pack=nope"))).isEmpty();
        assertThat(titles(suggest("q=gro&pack="))).hasSize(2);
        assertThat(server.http().get("/api/v1/suggest?q=gro&limit=lots").statusCode()).isEqualTo(400);
    }

    @Test
    void anythingTypedGetsAnAnswerNeverAnError() throws Exception {
        for (String typed : List.of("", " ", "\"", "*", "gro\"*", "NEAR(", "{title}:", "a", "é", "光",
                "x".repeat(5000), "🌱 gro", "x".repeat(199) + "🌱🌱")) {
            JsonNode answer = suggest("q=" + URLEncoder.encode(typed, StandardCharsets.UTF_8));
            assertThat(answer.get("suggestions").isArray()).as(typed).isTrue();
        }
        assertThat(titles(suggest(""))).isEmpty();
        assertThat(suggest("q=" + "x".repeat(5000)).get("query").asText()).hasSize(200);
        assertThat(titles(suggest("q=gro&pack=" + "g".repeat(5000)))).isEmpty();
    }

    @Test
    void answersAreCachedBrieflyAndRevalidatedByTheirTag() throws Exception {
        HttpResponse<String> first = server.http().get("/api/v1/suggest?q=gro");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("public, max-age=30");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = server.http().get("/api/v1/suggest?q=gro", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        HttpResponse<String> other = server.http().get("/api/v1/suggest?q=gre", "If-None-Match", etag);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(etag));
    }
}
