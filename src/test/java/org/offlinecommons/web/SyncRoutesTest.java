package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.job.Jobs;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.sync.LibraryTree;

/** The sync tree and the sync API over real HTTP: caching, HEAD, and what bad requests get. */
class SyncRoutesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static PackRecord garden;
    /** The admin, for the sync API; the tree itself asks for no login. */
    static Http admin;

    @RegisterExtension
    static final TestServer server = TestServer.secure().with((library, tmp) -> {
        Path site = PackFixtures.smallSite(tmp.resolve("site"));
        PackFixtures.writeRandom(site, "media/clip.mp4", 1_500_000, 7);
        new PackImporter(library).importPack(PackFixtures.build(site, "garden", "Garden", tmp.resolve("g.zip")),
                ProgressListener.NONE);
        garden = library.catalog().pack("garden").orElseThrow();
    });

    @BeforeAll
    static void logIn() throws Exception {
        admin = server.admin();
    }

    static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void aBulkRequestAnswersEachChunkAsALengthAndItsBytesInTheOrderAsked() throws Exception {
        LibraryTree tree = new LibraryTree(server.library());
        java.util.List<String> chunks = tree.recipes(garden).stream()
                .flatMap(r -> r.chunks().stream()).map(c -> c.hash()).distinct().toList();
        assertThat(chunks).hasSizeGreaterThan(3);
        String unknown = "0".repeat(64);
        java.util.List<String> asked = java.util.List.of(chunks.get(2), unknown, chunks.get(0), chunks.get(2));
        HttpResponse<byte[]> r = admin.bytes("POST", "/sync/v1/chunks", String.join("\n", asked) + "\n");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();

        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(r.body()));
        for (String hash : asked) {
            int length = in.readInt();
            if (hash.equals(unknown)) {
                assertThat(length).as("a chunk the server does not have").isEqualTo(-1);
                continue;
            }
            byte[] data = in.readNBytes(length);
            assertThat(Hashes.sha256Hex(data)).isEqualTo(hash);
        }
        assertThat(in.read()).as("nothing after the last chunk").isEqualTo(-1);
    }

    @Test
    void aBulkRequestThatIsMalformedOrTooLargeIsRefused() throws Exception {
        HttpResponse<byte[]> notAHash = admin.bytes("POST", "/sync/v1/chunks", "../../library.db\n");
        assertThat(notAHash.statusCode()).isEqualTo(400);
        assertThat(json(notAHash).path("message").asText()).contains("is not one");
        assertThat(admin.bytes("POST", "/sync/v1/chunks", "").statusCode()).isEqualTo(400);
        String many = ("a".repeat(64) + "\n").repeat(257);
        HttpResponse<byte[]> tooMany = admin.bytes("POST", "/sync/v1/chunks", many);
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(json(tooMany).path("message").asText()).contains("1 to 256 chunks");
    }

    @Test
    void theCatalogListsThePacksWithTheirDigests() throws Exception {
        HttpResponse<byte[]> r = admin.bytes("GET", "/sync/v1/catalog.json", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        assertThat(r.body()).isEqualTo(new LibraryTree(server.library()).catalog());
        JsonNode pack = json(r).path("packs").get(0);
        assertThat(pack.path("id").asText()).isEqualTo("garden");
        assertThat(pack.path("digest").asText()).isEqualTo(garden.digest());
        assertThat(pack.path("size").asLong()).isEqualTo(garden.totalSize());
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertThat(admin.bytes("GET", "/sync/v1/catalog.json", null, "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void everyETaggedAnswerHonoursAListOfETagsAndTheStar() throws Exception {
        String chunk = new LibraryTree(server.library()).recipes(garden).get(0).chunks().get(0).hash();
        for (String path : java.util.List.of("/sync/v1/catalog.json", "/sync/v1/packs/garden/1/manifest.json",
                "/sync/v1/chunks/" + chunk, "/packs/garden/index.html")) {
            HttpResponse<byte[]> r = admin.bytes("GET", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            String etag = r.headers().firstValue("ETag").orElseThrow();
            for (String matching : java.util.List.of(etag, "\"old\", " + etag, "\"a\",\"b\" ,W/" + etag, "*")) {
                HttpResponse<byte[]> again = admin.bytes("GET", path, null, "If-None-Match", matching);
                assertThat(again.statusCode()).as(path + " If-None-Match: " + matching).isEqualTo(304);
                assertThat(again.body()).as(path).isEmpty();
                assertThat(again.headers().firstValue("ETag")).as(path).hasValue(etag);
            }
            assertThat(admin.bytes("GET", path, null, "If-None-Match", "\"old\", \"older\"").statusCode()).as(path)
                    .isEqualTo(200);
        }
    }

    @Test
    void manifestsExistForTheInstalledVersionOnly() throws Exception {
        HttpResponse<byte[]> r = admin.bytes("GET", "/sync/v1/packs/garden/1/manifest.json", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("ETag")).hasValue("\"" + garden.digest() + "\"");
        assertThat(json(r).path("chunks").size()).isEqualTo(garden.fileCount());
        assertThat(admin.bytes("GET", "/sync/v1/packs/garden/2/manifest.json", null).statusCode()).isEqualTo(404);
        assertThat(admin.bytes("GET", "/sync/v1/packs/garden/x/manifest.json", null).statusCode()).isEqualTo(404);
        assertThat(admin.bytes("GET", "/sync/v1/packs/nope/1/manifest.json", null).statusCode()).isEqualTo(404);
    }

    @Test
    void chunksAreImmutableBytes() throws Exception {
        FileRecipe recipe = new LibraryTree(server.library()).recipes(garden).stream()
                .filter(f -> f.size() > 1_000_000).findFirst().orElseThrow();
        String hash = recipe.chunks().get(0).hash();
        HttpResponse<byte[]> r = admin.bytes("GET", "/sync/v1/chunks/" + hash, null, "Accept-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Hashes.sha256Hex(r.body())).isEqualTo(hash);
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
        assertThat(r.headers().firstValue("ETag")).hasValue("\"" + hash + "\"");
        assertThat(admin.bytes("GET", "/sync/v1/chunks/" + hash, null, "If-None-Match", "\"" + hash + "\"").statusCode())
                .isEqualTo(304);
        HttpResponse<byte[]> head = admin.bytes("HEAD", "/sync/v1/chunks/" + hash, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(recipe.chunks().get(0).size());
        assertThat(head.body()).isEmpty();

        HttpResponse<byte[]> bad = admin.bytes("GET", "/sync/v1/chunks/..%2F..%2Fcatalog.json", null);
        assertThat(bad.statusCode()).isIn(400, 404);
        assertThat(admin.bytes("GET", "/sync/v1/chunks/" + hash.toUpperCase(), null).statusCode()).isEqualTo(400);
        assertThat(admin.bytes("GET", "/sync/v1/chunks/" + "0".repeat(64), null).statusCode()).isEqualTo(404);
    }

    @Test
    void badSyncRequestsAreRefusedWithAReason() throws Exception {
        HttpResponse<byte[]> noPeer = admin.bytes("POST", "/api/v1/sync", "{}");
        assertThat(noPeer.statusCode()).isEqualTo(400);
        assertThat(json(noPeer).path("message").asText()).isEqualTo("Give the address of the server or mirror to copy from.");
        HttpResponse<byte[]> ftp = admin.bytes("POST", "/api/v1/sync", "{\"peer\": \"ftp://x/\"}");
        assertThat(ftp.statusCode()).isEqualTo(400);
        assertThat(json(ftp).path("message").asText()).contains("http://");
        HttpResponse<byte[]> packs = admin.bytes("POST", "/api/v1/sync", "{\"peer\": \"http://x\", \"packs\": [\"../a\"]}");
        assertThat(packs.statusCode()).isEqualTo(400);
        assertThat(admin.bytes("POST", "/api/v1/sync", "not json").statusCode()).isEqualTo(400);
        HttpResponse<byte[]> token = admin.bytes("POST", "/api/v1/sync", "{\"peer\": \"http://x\", \"token\": 42}");
        assertThat(token.statusCode()).isEqualTo(400);
        assertThat(json(token).path("message").asText()).contains("“token”");
        HttpResponse<byte[]> spaced = admin.bytes("POST", "/api/v1/sync", "{\"peer\": \"http://x\", \"token\": \"a b\"}");
        assertThat(spaced.statusCode()).isEqualTo(400);
        assertThat(json(spaced).path("message").asText()).contains("sync token").doesNotContain("a b");
        assertThat(admin.bytes("GET", "/api/v1/sync/jobs/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aSyncJobReportsItsProgressAndOutcome() throws Exception {
        HttpResponse<byte[]> started = admin.bytes("POST", "/api/v1/sync",
                "{\"peer\": \"http://127.0.0.1:" + server.port() + "\", \"dryRun\": true}");
        assertThat(started.statusCode()).isEqualTo(202);
        String status = json(started).path("status").asText();
        Jobs.await(server.jobs(), json(started).path("job").asText());
        JsonNode view = json(admin.bytes("GET", status, null));
        assertThat(view.path("job").path("state").asText()).as(view.toString()).isEqualTo("SUCCEEDED");
        assertThat(view.path("sync").path("packs").get(0).path("action").asText()).isEqualTo("UP_TO_DATE");
        assertThat(view.path("job").path("message").asText()).contains("Dry run");
    }

    @Test
    void pullRequestsAreRefusedUnlessTheAdminAllowsThem() throws Exception {
        HttpResponse<byte[]> r = admin.bytes("POST", "/sync/v1/pull-request", "{\"url\": \"http://127.0.0.1:9\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).path("message").asText()).contains("--accept-sync-requests");
        assertThat(admin.bytes("GET", "/sync/v1/pull-requests/abc", null).statusCode()).isEqualTo(404);
    }
}
