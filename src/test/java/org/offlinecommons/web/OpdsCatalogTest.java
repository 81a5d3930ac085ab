package org.offlinecommons.web;

import static org.offlinecommons.ExternalTools.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.offlinecommons.ExternalTools.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.app.Services;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

/**
 * The OPDS catalog, read by programs we did not write: every feed validates against the OPDS 1.2 RELAX NG
 * schema with Debian's jing, and Debian's python3-feedparser reads every entry with its links.
 */
class OpdsCatalogTest {

    @RegisterExtension
    static final TestServer server = TestServer.secure().with(OpdsCatalogTest::install);

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> FEEDS = List.of("/opds", "/opds/all", "/opds/new", "/opds/languages",
            "/opds/language/fr", "/opds/language/en", "/opds/search?q=garden+soil");

    @TempDir
    Path tmp;

    static void install(Library library, Path dir) throws IOException {
        pack(library, dir, "garden", "Garden & <soil>", "en", List.of("Ana", "Bo"));
        pack(library, dir, "jardin", "Le jardin", "fr", List.of());
        pack(library, dir, "horta", "A horta", "pt-BR", List.of("Zé"));
    }

    static void pack(Library library, Path dir, String id, String title, String language, List<String> authors)
            throws IOException {
        Path site = PackFixtures.smallSite(dir.resolve(id));
        Path zip = dir.resolve(id + ".zip");
        PackBuilder.buildStreamed(site, new PackBuilder.Options(id, title, 1L, language, "CC-BY-4.0",
                "About " + title + ".", authors, "2026-11-0" + (1 + id.length() % 8), null), zip, ProgressListener.NONE);
        new PackImporter(library).importPack(zip, ProgressListener.NONE);
    }

    static String get(String base, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).as(path)
                .startsWith("application/atom+xml;profile=opds-catalog;kind=");
        return r.body();
    }

    @Test
    void everyFeedValidatesAgainstTheOpds12Schema() throws Exception {
        Path schema = Path.of("src/test/resources/opds/opds.rnc").toAbsolutePath();
        for (String feed : FEEDS) {
            Path file = tmp.resolve(feed.replace('/', '_') + ".xml");
            Files.writeString(file, get(server.url(), feed));
            Result r = run(Duration.ofSeconds(120), List.of("jing", "-c", schema.toString(), file.toString()));
            assertThat(r.output().lines().filter(l -> !l.contains("[warning]")).toList()).as(feed).isEmpty();
            assertThat(r.exit()).as(feed + ": " + r.output()).isZero();
        }
    }

    @Test
    void feedparserReadsEveryEntryWithItsAcquisitionLinks() throws Exception {
        JsonNode all = feedparser(get(server.url(), "/opds/all"));
        assertThat(all.get("bozo").asBoolean()).as(all.toString()).isFalse();
        assertThat(all.get("entries")).hasSize(3);
        JsonNode garden = null;
        for (JsonNode e : all.get("entries")) {
            if (e.get("title").asText().equals("Garden & <soil>")) {
                garden = e;
            }
        }
        assertThat(garden).as(all.toString()).isNotNull();
        assertThat(garden.get("summary").asText()).isEqualTo("About Garden & <soil>.");
        assertThat(garden.get("language").asText()).isEqualTo("en");
        assertThat(garden.get("authors").toString()).contains("Ana", "Bo");
        assertThat(garden.get("updated").asText()).isNotEmpty();
        String links = garden.get("links").toString();
        assertThat(links).contains("http://opds-spec.org/image/thumbnail", "/opds/icon/garden.png",
                "http://opds-spec.org/acquisition/open-access");
        long zipLength = 0;
        for (JsonNode l : garden.get("links")) {
            if (l.get("rel").asText().equals("http://opds-spec.org/acquisition/open-access")) {
                assertThat(l.get("length").asLong()).isPositive();
                if (l.get("type").asText().equals("application/zip")) {
                    zipLength = l.get("length").asLong();
                    assertThat(l.get("href").asText()).isEqualTo("/download/garden.zip");
                } else {
                    assertThat(l.get("type").asText()).isEqualTo("application/x-zim");
                    assertThat(l.get("href").asText()).isEqualTo("/download/garden.zim");
                }
            }
        }
        HttpResponse<byte[]> zip = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/download/garden.zip"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat((long) zip.body().length).isEqualTo(zipLength);

        JsonNode root = feedparser(get(server.url(), "/opds"));
        assertThat(root.get("entries").toString()).contains("/opds/all", "/opds/new", "/opds/languages");
        JsonNode languages = feedparser(get(server.url(), "/opds/languages"));
        assertThat(languages.get("entries").toString()).contains("/opds/language/en", "/opds/language/fr",
                "/opds/language/pt", "français");
        JsonNode pt = feedparser(get(server.url(), "/opds/language/pt"));
        assertThat(pt.get("entries")).hasSize(1);
        assertThat(pt.get("entries").get(0).get("title").asText()).isEqualTo("A horta");
        JsonNode found = feedparser(get(server.url(), "/opds/search?q=SOIL"));
        assertThat(found.get("entries")).hasSize(1);
        assertThat(found.get("entries").get(0).get("title").asText()).isEqualTo("Garden & <soil>");
        HttpResponse<String> description = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/opds/search.xml")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(description.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/opensearchdescription+xml");
        assertThat(description.body()).contains("template=\"/opds/search?q={searchTerms}\"");
        HttpResponse<byte[]> icon = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/opds/icon/garden.png")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(new String(icon.body(), 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    void withDownloadsOffTheCatalogHasNoAcquisitionLinks() throws Exception {
        try (Library library = Library.open(tmp.resolve("data")); JobRunner jobs = new JobRunner()) {
            pack(library, tmp, "garden", "Garden", "en", List.of());
            Services services = Services.create(library, jobs, Drives.defaults(library), 1 << 20)
                    .withDownloads(false);
            try (WebServer off = WebServer.start(services, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
                String feed = get("http://127.0.0.1:" + off.port(), "/opds/all");
                assertThat(feed).contains("<title>Garden</title>").doesNotContain("opds-spec.org/acquisition", "/download/");
            } finally {
                services.close();
            }
        }
    }

    /** The feed as python3-feedparser reads it, as JSON. */
    private JsonNode feedparser(String xml) throws Exception {
        Path file = Files.createTempFile(tmp, "feed", ".xml");
        Files.writeString(file, xml);
        String script = "import feedparser, json, sys\n"
                + "d = feedparser.parse(sys.argv[1])\n"
                + "out = {'bozo': bool(d.bozo), 'title': d.feed.get('title'), 'entries': []}\n"
                + "for e in d.entries:\n"
                + "    out['entries'].append({'title': e.get('title'), 'summary': e.get('summary', ''),\n"
                + "        'language': e.get('dcterms_language', ''), 'updated': e.get('updated', ''),\n"
                + "        'authors': [a.get('name') for a in e.get('authors', [])],\n"
                + "        'links': [{'rel': l.get('rel'), 'href': l.get('href'), 'type': l.get('type'),\n"
                + "                   'length': l.get('length')} for l in e.get('links', [])]})\n"
                + "print(json.dumps(out))\n";
        Result r = run(Duration.ofSeconds(120), List.of("/usr/bin/python3", "-c", script, file.toString()));
        assertThat(r.exit()).as(r.output()).isZero();
        return new ObjectMapper().readTree(r.output());
    }


}
