package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.it.JarProcess;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.ProgressListener;

/**
 * Sources other than a healthy peer, with two real servers: a relay that damages a chunk, a
 * mirror folder served by nginx, and a peer asked to pull back (two-way sync).
 */
class SyncSourcesIT {

    static final long CLIP = 5_000_000;

    @TempDir
    static Path tmp;
    static Path media;
    static SyncIT.Server peer;

    @BeforeAll
    static void peerWithTwoPacks() throws IOException {
        media = tmp.resolve("media");
        for (int i = 0; i < 4; i++) {
            PackFixtures.writeRandom(media, "clips/clip-" + i + ".mp4", CLIP, 100 + i);
        }
        PackFixtures.write(media, "index.html", "<title>Rivers on film</title><p>Four clips.</p>");
        peer = SyncIT.Server.start(tmp.resolve("peer-data"));
        SyncFixtures.importFolder(peer.library(), media, "media", "Rivers on film", 1, tmp);
        SyncFixtures.importFolder(peer.library(), SyncFixtures.garden(tmp.resolve("garden")), "garden", "Garden", 1,
                tmp);
    }

    @AfterAll
    static void stop() {
        peer.close();
    }

    @Test
    void aChunkDamagedOnTheWayIsCaught_reported_andItsPackNeverPublished() throws Exception {
        PeerManifest manifest = PeerManifest.parse(new LibraryTree(peer.library()).manifest(
                peer.library().catalog().pack("media").orElseThrow()), "test");
        // A clip's second chunk (Map.copyOf iterates in a different order on every run: pick, don't take the first).
        String victim = manifest.recipes().values().stream().filter(r -> r.chunks().size() > 1).findFirst()
                .orElseThrow().chunks().get(1).hash();
        HttpClient http = HttpClient.newHttpClient();
        try (FakePeer relay = new FakePeer(path -> {
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(peer.url() + path.substring(1)))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                byte[] body = r.body();
                if (path.endsWith(victim)) {
                    body[body.length / 3] ^= 0x10;
                }
                return new FakePeer.Answer(r.statusCode(), body, false);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
             SyncIT.Server here = SyncIT.Server.start(tmp.resolve("tampered-data"))) {
            JsonNode job = here.sync("{\"peer\": \"" + relay.base() + "\"}");
            assertThat(job.path("job").path("state").asText()).isEqualTo("FAILED");
            assertThat(job.path("job").path("error").asText()).contains(victim).contains("damaged chunk twice")
                    .contains("Added 1 pack");
            assertThat(job.path("sync").path("packs").findValuesAsText("state")).containsExactlyInAnyOrder("ADDED",
                    "FAILED");
            assertThat(relay.requests("/" + SyncTree.chunk(victim))).isEqualTo(2);
            assertThat(SyncFixtures.packIds(here.library())).containsExactly("garden");
            assertThat(here.http().get("/api/v1/packs/media").statusCode()).isEqualTo(404);
            assertThat(new LibraryVerifier(here.library()).verify(ProgressListener.NONE).problems()).isEmpty();
        }
    }

    @Test
    void aMirrorFolderServedByNginxIsASyncSource() throws Exception {
        Path webRoot = Files.createDirectories(tmp.resolve("www"));
        Path stick = webRoot.resolve("stick");
        new MirrorWriter(peer.library()).write(stick, List.of("media"), ProgressListener.NONE);
        Path here = tmp.resolve("from-mirror-data");
        try (Nginx nginx = Nginx.start(webRoot, tmp.resolve("nginx"))) {
            String url = nginx.url() + "stick/";
            JarProcess.Result dry = JarProcess.run("sync", url, "--dry-run", "--data", here.toString());
            assertThat(dry.exitCode()).as(dry.err()).isZero();
            assertThat(dry.out()).contains("add").contains("media").contains("Dry run");

            JarProcess.Result pulled = JarProcess.run("sync", url, "--data", here.toString());
            assertThat(pulled.exitCode()).as(pulled.out() + pulled.err()).isZero();
            assertThat(pulled.out()).contains("Added 1 pack");
            assertThat(nginx.bytesServed()).isGreaterThan(4 * CLIP);

            Path changed = tmp.resolve("media-v2");
            copy(media, changed);
            PackFixtures.writeRandom(changed, "clips/clip-1.mp4", CLIP, 999);
            try (Library v2 = Library.open(tmp.resolve("media-v2-data"))) {
                SyncFixtures.importFolder(v2, changed, "media", "Rivers on film", 2, tmp);
                new MirrorWriter(v2).write(stick, List.of(), ProgressListener.NONE);
            }
            long before = nginx.bytesServed();
            JarProcess.Result updated = JarProcess.run("sync", url, "--data", here.toString());
            assertThat(updated.exitCode()).as(updated.out() + updated.err()).isZero();
            assertThat(updated.out()).contains("updated").contains("v1 -> v2");
            assertThat(nginx.bytesServed() - before).isGreaterThan(CLIP).isLessThan(CLIP + 500_000);
            try (Library library = Library.open(here)) {
                assertThat(SyncFixtures.contentHashes(library, "media")).isEqualTo(SyncFixtures.folderHashes(changed));
                assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).problems()).isEmpty();
            }
        }
    }

    @Test
    void twoWay_thePeerPullsBackOnlyWhenItAcceptsRequests() throws Exception {
        Path data = tmp.resolve("two-way-data");
        Path mine = tmp.resolve("mine");
        PackFixtures.write(mine, "index.html", "<title>Our school's songs</title><p>la la</p>");
        PackFixtures.writeRandom(mine, "songs/song.mp3", 2_000_000, 42);
        try (Library library = Library.open(data)) {
            SyncFixtures.importFolder(library, mine, "songs", "Songs", 1, tmp);
        }
        PullRequests.accept(peer.library(), false);
        JarProcess.Result refused = JarProcess.run("sync", peer.url(), "--both", "--pack", "garden", "--data",
                data.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("does not accept sync requests").contains("--accept-sync-requests");
        assertThat(SyncFixtures.packIds(peer.library())).doesNotContain("songs");

        PullRequests.accept(peer.library(), true);
        try {
            JarProcess.Result both = JarProcess.run("sync", peer.url(), "--both", "--data", data.toString());
            assertThat(both.exitCode()).as(both.out() + both.err()).isZero();
            assertThat(both.out()).contains("Asking the peer to pull").contains("The peer: Added 1 pack");
            assertThat(SyncFixtures.packIds(peer.library())).contains("songs");
            assertThat(SyncFixtures.contentHashes(peer.library(), "songs")).isEqualTo(SyncFixtures.folderHashes(mine));
        } finally {
            PullRequests.accept(peer.library(), false);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                Files.createDirectories(target.getParent());
                Files.copy(p, target);
            }
        }
    }

    /** nginx on a free loopback port, run in the foreground by the test and stopped after it. */
    static final class Nginx implements AutoCloseable {
        private final Process process;
        private final int port;
        private final Path accessLog;

        private Nginx(Process process, int port, Path accessLog) {
            this.process = process;
            this.port = port;
            this.accessLog = accessLog;
        }

        static Nginx start(Path root, Path dir) throws IOException, InterruptedException {
            Path nginx = Stream.concat(Stream.of("/usr/sbin"), Stream.of(System.getenv("PATH").split(":")))
                    .map(d -> Path.of(d, "nginx")).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new IllegalStateException("nginx is needed for this test; scripts/test"
                            + " installs it (apt-get install nginx)"));
            Files.createDirectories(dir.resolve("temp"));
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path accessLog = dir.resolve("access.log");
            String temp = dir.resolve("temp").toString();
            Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                    "daemon off;",
                    "master_process off;",
                    "pid " + dir.resolve("nginx.pid") + ";",
                    "error_log " + dir.resolve("error.log") + " warn;",
                    "events { worker_connections 64; }",
                    "http {",
                    "  log_format sent '$body_bytes_sent $uri';",
                    "  access_log " + accessLog + " sent;",
                    "  client_body_temp_path " + temp + "/body;",
                    "  proxy_temp_path " + temp + "/proxy;",
                    "  fastcgi_temp_path " + temp + "/fastcgi;",
                    "  uwsgi_temp_path " + temp + "/uwsgi;",
                    "  scgi_temp_path " + temp + "/scgi;",
                    "  types { application/json json; }",
                    "  default_type application/octet-stream;",
                    "  server { listen 127.0.0.1:" + port + "; root " + root + "; }",
                    "}", ""));
            Process p = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c",
                    dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return new Nginx(p, port, accessLog);
                } catch (IOException notYet) {
                    if (!p.isAlive()) {
                        break;
                    }
                    Thread.sleep(50);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("stdout.log"))
                    + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
        }

        String url() {
            return "http://127.0.0.1:" + port + "/";
        }

        /** Body bytes nginx has sent, from its access log (written as each request ends). */
        long bytesServed() throws IOException {
            if (!Files.exists(accessLog)) {
                return 0;
            }
            long sum = 0;
            for (String line : Files.readAllLines(accessLog)) {
                sum += Long.parseLong(line.substring(0, line.indexOf(' ')));
            }
            return sum;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
