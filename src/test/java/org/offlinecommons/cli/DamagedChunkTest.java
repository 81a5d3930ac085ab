package org.offlinecommons.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackExporter;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryScrub;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.StoreException;
import org.offlinecommons.sync.MirrorWriter;
import org.offlinecommons.sync.SyncTree;
import org.offlinecommons.web.WebServer;

/**
 * Bytes flipped in a chunk of a real library.db file: every way out of the library (page,
 * range, export, sync answers, mirror) refuses them, the scrub and verify find the same damage,
 * and {@code repair --from} a second real server heals it.
 */
class DamagedChunkTest {

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void damagedChunksAreNeverHandedOut_andRepairFromAPeerHealsThem() throws Exception {
        Path site = tmp.resolve("site");
        StringBuilder page = new StringBuilder("<!doctype html><title>Rivers</title><body>");
        for (int i = 0; page.length() < 30_000; i++) {
            page.append("<p>Paragraph ").append(i).append(" about rivers, deltas and the sea.</p>\n");
        }
        PackFixtures.write(site, "index.html", page.toString());
        byte[] pageBytes = page.toString().getBytes(StandardCharsets.UTF_8);
        PackFixtures.writeRandom(site, "video.mp4", 3_000_000, 7);
        byte[] video = Files.readAllBytes(site.resolve("video.mp4"));
        Path zip = tmp.resolve("rivers.zip");
        PackFixtures.build(site, new PackBuilder.Options("rivers", "Rivers", 1L, null, null, null, null, null, null), zip);

        Path dataA = tmp.resolve("a");
        Path dataB = tmp.resolve("b");
        String pageChunk;
        String videoChunk;
        byte[] pageStored;
        byte[] videoStored;
        try (Library a = Library.open(dataA); Library b = Library.open(dataB)) {
            new PackImporter(a).importPack(zip, ProgressListener.NONE);
            new PackImporter(b).importPack(zip, ProgressListener.NONE);
            FileRecipe pageRecipe = recipe(a, "index.html");
            FileRecipe videoRecipe = recipe(a, "video.mp4");
            pageChunk = pageRecipe.chunks().get(0).hash();
            videoChunk = videoRecipe.chunks().get(1).hash();
            pageStored = a.chunks().readEncoded(pageChunk).orElseThrow().data();
            videoStored = a.chunks().readEncoded(videoChunk).orElseThrow().data();
        }
        // The page is stored as a zstd frame, the video raw: flip 4 bytes of each, in the file itself.
        flip(dataA.resolve("library.db"), pageStored);
        flip(dataA.resolve("library.db"), videoStored);

        try (Library a = Library.open(dataA); Library b = Library.open(dataB);
             JobRunner jobsA = new JobRunner(); JobRunner jobsB = new JobRunner();
             WebServer serverA = WebServer.start(a, jobsA, WebServer.Options.withoutLogin("127.0.0.1", 0));
             WebServer serverB = WebServer.start(b, jobsB, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
            String urlA = "http://127.0.0.1:" + serverA.port();

            // A page: a clean 500, never the damaged bytes.
            HttpResponse<byte[]> p = get(urlA + "/packs/rivers/index.html");
            assertThat(p.statusCode()).isEqualTo(500);
            assertThat(p.body()).isNotEqualTo(pageBytes);

            // A range across the damaged chunk: the bytes never arrive as good, then a clean 500.
            assertThat(rangeArrivesWhole(urlA, 1_048_000, 1_200_000, video)).isFalse();
            HttpResponse<byte[]> again = range(urlA, 1_048_000, 1_200_000);
            assertThat(again.statusCode()).isEqualTo(500);
            // A range that does not touch it is still served.
            HttpResponse<byte[]> fine = range(urlA, 0, 99_999);
            assertThat(fine.statusCode()).isEqualTo(206);
            assertThat(fine.body()).isEqualTo(Arrays.copyOfRange(video, 0, 100_000));

            // Peers: the single chunk is refused, the bulk answer says "not stored" for it.
            assertThat(get(urlA + "/" + SyncTree.chunk(videoChunk)).statusCode()).isEqualTo(500);
            HttpResponse<byte[]> bulk = http.send(HttpRequest.newBuilder(URI.create(urlA + "/" + SyncTree.BULK_CHUNKS))
                    .POST(HttpRequest.BodyPublishers.ofString(videoChunk + "\n")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bulk.statusCode()).isEqualTo(200);
            assertThat(ByteBuffer.wrap(bulk.body()).getInt()).isEqualTo(SyncTree.NOT_STORED);
            assertThat(bulk.body()).hasSize(4);

            // Export and mirror fail, naming the chunk, and leave no zip behind.
            Path exported = tmp.resolve("export.zip");
            assertThatThrownBy(() -> new PackExporter(a).export("rivers", exported, ProgressListener.NONE))
                    .hasMessageContaining("damaged");
            assertThat(exported).doesNotExist();
            assertThatThrownBy(() -> new MirrorWriter(a).write(tmp.resolve("stick"), List.of(), ProgressListener.NONE))
                    .isInstanceOf(StoreException.class).hasMessageContaining("damaged");

            // Recorded, with the pack file that uses each chunk.
            assertThat(a.chunks().damaged()).extracting(ChunkStore.DamagedChunk::hash)
                    .containsExactlyInAnyOrder(pageChunk, videoChunk);
            assertThat(a.chunks().damaged()).extracting(ChunkStore.DamagedChunk::where)
                    .containsExactlyInAnyOrder("rivers/index.html", "rivers/video.mp4");

            // The scrub finds the same damage by itself, and verify too (exit 3 from the CLI).
            for (ChunkStore.DamagedChunk d : a.chunks().damaged()) {
                a.chunks().forget(d.hash());
            }
            LibraryScrub.Report scrub = new LibraryScrub(a).pass(0, ProgressListener.NONE);
            assertThat(scrub.damaged()).containsExactlyInAnyOrder(pageChunk, videoChunk);
            assertThat(a.chunks().damaged()).hasSize(2);
            LibraryVerifier.Report verify = new LibraryVerifier(a).verify(ProgressListener.NONE);
            assertThat(verify.problems()).hasSize(2).allSatisfy(problem -> assertThat(problem).contains("damaged"));
            assertThat(cli("verify", "--data", dataA.toString()).code()).isEqualTo(Main.EXIT_DAMAGED);

            // repair --from the second server, through the CLI, on the library the server has open.
            CliTest.Run repair = cli("repair", "--from", "http://127.0.0.1:" + serverB.port(), "--data", dataA.toString());
            assertThat(repair.code()).as(repair.out() + repair.err()).isZero();
            assertThat(repair.out()).contains("Repaired 2 of 2");
            assertThat(a.chunks().damaged()).isEmpty();
            assertThat(new LibraryVerifier(a).verify(ProgressListener.NONE).ok()).isTrue();
            assertThat(cli("verify", "--data", dataA.toString()).code()).isZero();

            // Served again, right.
            HttpResponse<byte[]> healed = get(urlA + "/packs/rivers/index.html");
            assertThat(healed.statusCode()).isEqualTo(200);
            assertThat(healed.body()).isEqualTo(pageBytes);
            HttpResponse<byte[]> healedRange = range(urlA, 1_048_000, 1_200_000);
            assertThat(healedRange.statusCode()).isEqualTo(206);
            assertThat(healedRange.body()).isEqualTo(Arrays.copyOfRange(video, 1_048_000, 1_200_001));
            new PackExporter(a).export("rivers", exported, ProgressListener.NONE);
            assertThat(exported).exists();
        }
    }

    @Test
    void healthSaysUnhealthyWhenThePackTableCannotBeRead_andLogsNoStackTracePerRequest() throws Exception {
        Path site = tmp.resolve("site");
        PackFixtures.write(site, "index.html", "<!doctype html><title>Hi</title><p>Hello");
        Path zip = tmp.resolve("hi.zip");
        PackFixtures.build(site, "hi", "Hi", zip);
        Path data = tmp.resolve("lib");
        try (Library library = Library.open(data)) {
            new PackImporter(library).importPack(zip, ProgressListener.NONE);
        }
        // The pack table now points at a page that is not one of its b-tree pages (as a disk
        // error in its root page would leave it).
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("library.db"));
             var s = c.createStatement()) {
            int version;
            try (var rs = s.executeQuery("PRAGMA schema_version")) {
                version = rs.getInt(1);
            }
            s.execute("PRAGMA writable_schema=ON");
            s.execute("UPDATE sqlite_master SET rootpage = 2 WHERE name = 'pack'");
            s.execute("PRAGMA schema_version=" + (version + 1));
            s.execute("PRAGMA writable_schema=OFF");
        }
        try (Library library = Library.open(data); JobRunner jobs = new JobRunner();
             WebServer server = WebServer.start(library, jobs, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
            String url = "http://127.0.0.1:" + server.port();
            HttpResponse<byte[]> health = get(url + "/healthz");
            assertThat(health.statusCode()).as(new String(health.body(), StandardCharsets.UTF_8)).isEqualTo(503);
            assertThat(new String(health.body(), StandardCharsets.UTF_8)).contains("\"readable\":false");
            HttpResponse<byte[]> packs = get(url + "/api/v1/packs");
            assertThat(packs.statusCode()).as(new String(packs.body(), StandardCharsets.UTF_8)).isEqualTo(503);
        }
    }

    @Test
    void verifyExitsThreeOnAMalformedDatabase() throws IOException {
        Path data = tmp.resolve("broken");
        Files.createDirectories(data);
        byte[] junk = new byte[200_000];
        new java.util.Random(3).nextBytes(junk);
        System.arraycopy("SQLite format 3\0".getBytes(StandardCharsets.US_ASCII), 0, junk, 0, 16);
        Files.write(data.resolve("library.db"), junk);
        CliTest.Run r = cli("verify", "--data", data.toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.EXIT_DAMAGED);
        assertThat(r.out()).contains("DAMAGED");
    }

    private static FileRecipe recipe(Library library, String path) {
        String sha = library.catalog().file("rivers", path).orElseThrow().sha256();
        return library.chunks().recipe(sha).orElseThrow();
    }

    /** Flips 4 bytes in the middle of {@code stored} where it lies in {@code file} (a slice of one page). */
    private static void flip(Path file, byte[] stored) throws IOException {
        org.offlinecommons.app.DamagedLibraries.flip(file, stored);
    }

    private HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> range(String url, long first, long last) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + "/packs/rivers/video.mp4"))
                .header("Range", "bytes=" + first + "-" + last).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** True only when a range answer arrived complete with the right bytes. */
    private boolean rangeArrivesWhole(String url, long first, long last, byte[] expected) throws InterruptedException {
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url + "/packs/rivers/video.mp4"))
                    .header("Range", "bytes=" + first + "-" + last).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readAllBytes();
                if (r.statusCode() != 206) {
                    return false;
                }
                assertThat(body).as("wrong bytes sent as good").isEqualTo(
                        Arrays.copyOfRange(expected, (int) first, (int) last + 1));
                return true;
            }
        } catch (IOException e) {
            return false; // cut off: no wrong bytes delivered as a whole answer
        }
    }

    private static CliTest.Run cli(String... args) {
        return CliTest.run(args);
    }
}
