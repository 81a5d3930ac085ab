package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.it.JarProcess;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.Jobs;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.web.Http;
import org.offlinecommons.web.WebServer;

/**
 * Two real servers on loopback, each with its own library, sharing a 300 MB pack: a full pull,
 * an update that moves only the changed file, and interruptions on either side halfway. What
 * crossed the wire is counted by a relay in front of the serving peer, not by the client.
 */
class SyncIT {

    static final int FILES = 60;
    static final long FILE_SIZE = 5_000_000;

    @TempDir
    static Path tmp;
    static Path source;
    static Library peerLibrary;
    static JobRunner peerJobs;
    static WebServer peer;
    static CountingProxy proxy;

    @BeforeAll
    static void peerWithABigPack() throws IOException {
        source = tmp.resolve("source");
        for (int i = 0; i < FILES; i++) {
            PackFixtures.writeRandom(source, String.format("media/part-%02d.bin", i), FILE_SIZE, i);
        }
        PackFixtures.write(source, "index.html", "<title>Big pack</title><p>Sixty parts of a river film.</p>");
        PackFixtures.write(source, "notes/reading.md", "# Reading list\n\nRivers, deltas and floods.\n");
        peerLibrary = Library.open(tmp.resolve("peer-data"));
        SyncFixtures.importFolder(peerLibrary, source, "big", "Big pack", 1, tmp);
        peerJobs = new JobRunner();
        peer = WebServer.start(peerLibrary, peerJobs, WebServer.Options.withoutLogin("127.0.0.1", 0));
        proxy = new CountingProxy(peer.port());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        peer.close();
        peerJobs.close();
        peerLibrary.close();
    }

    /** A second server with an empty library of its own. */
    record Server(Library library, JobRunner jobs, WebServer web) implements AutoCloseable {
        static Server start(Path data) {
            Library library = Library.open(data);
            JobRunner jobs = new JobRunner();
            return new Server(library, jobs, WebServer.start(library, jobs, WebServer.Options.withoutLogin("127.0.0.1", 0)));
        }

        String url() {
            return "http://127.0.0.1:" + web.port() + "/";
        }

        Http http() {
            return new Http(web);
        }

        /** The body of a GET on {@code path} (no leading slash), parsed as JSON. */
        JsonNode getJson(String path) throws IOException, InterruptedException {
            return Http.json(http().get("/" + path));
        }

        /** Starts a pull through {@code POST /api/v1/sync}, awaits its job, and returns the job's API view. */
        JsonNode sync(String requestJson) throws IOException, InterruptedException {
            Http http = http();
            HttpResponse<String> started = http.json("POST", "/api/v1/sync", requestJson);
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            JsonNode answer = Http.json(started);
            Jobs.await(jobs, answer.path("job").asText(), Duration.ofMinutes(5));
            return Http.json(http.get(answer.path("status").asText()));
        }

        @Override
        public void close() {
            web.close();
            jobs.close();
            library.close();
        }
    }

    static PackRecord peerPack() {
        return peerLibrary.catalog().pack("big").orElseThrow();
    }

    @Test
    void pullsABigPackThroughTheApi_thenOnlyTheChangedFileOfItsNextVersion() throws Exception {
        try (Server here = Server.start(tmp.resolve("pull-data"))) {
            proxy.resetCount();
            JsonNode first = here.sync("{\"peer\": \"" + proxy.url() + "\", \"packs\": [\"big\"]}");
            assertThat(first.path("job").path("state").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
            assertThat(first.path("sync").path("packs").get(0).path("state").asText()).isEqualTo("ADDED");
            long size = peerPack().totalSize();
            assertThat(proxy.bytesFromPeer()).isBetween(size, size + size / 100);
            assertThat(SyncFixtures.contentHashes(here.library(), "big")).isEqualTo(SyncFixtures.folderHashes(source));
            assertThat(new LibraryVerifier(here.library()).verify(ProgressListener.NONE).problems()).isEmpty();
            assertThat(sha256(here.http(), "/packs/big/media/part-03.bin"))
                    .isEqualTo(SyncFixtures.folderHashes(source).get("media/part-03.bin"));

            PackFixtures.writeRandom(source, "media/part-07.bin", FILE_SIZE, 1007);
            SyncFixtures.importFolder(peerLibrary, source, "big", "Big pack", 2, tmp);
            proxy.resetCount();
            JsonNode second = here.sync("{\"peer\": \"" + proxy.url() + "\"}");
            assertThat(second.path("job").path("state").asText()).as(second.toString()).isEqualTo("SUCCEEDED");
            JsonNode pack = second.path("sync").path("packs").get(0);
            assertThat(pack.path("state").asText()).isEqualTo("UPDATED");
            assertThat(pack.path("versionHere").asLong()).isEqualTo(1);
            assertThat(proxy.bytesFromPeer()).as("one changed 5 MB file, its manifest and the catalog")
                    .isGreaterThan(FILE_SIZE).isLessThan(6_000_000);
            assertThat(second.path("sync").path("reusedBytes").asLong()).isEqualTo(size - FILE_SIZE);
            assertThat(here.library().catalog().pack("big").orElseThrow().version()).isEqualTo(2);
            assertThat(SyncFixtures.contentHashes(here.library(), "big")).isEqualTo(SyncFixtures.folderHashes(source));
            assertThat(new LibraryVerifier(here.library()).verify(ProgressListener.NONE).problems()).isEmpty();
        }
    }

    @Test
    void stoppingTheServingPeerHalfwayThenSyncingAgainResumesWhereItStopped() throws Exception {
        long size = peerPack().totalSize();
        try (Library library = Library.open(tmp.resolve("peer-stopped-data"));
             PartialPackWatch watch = new PartialPackWatch(library, peerPack())) {
            proxy.resetCount();
            Thread stopper = new Thread(() -> {
                while (proxy.bytesFromPeer() < size / 2) {
                    Thread.onSpinWait();
                }
                peer.close();
            });
            stopper.start();
            SyncStatus interrupted = pull(library);
            stopper.join();
            assertThat(interrupted.ok()).isFalse();
            assertThat(interrupted.phase()).isEqualTo(SyncStatus.Phase.FAILED);
            assertThat(interrupted.error()).contains(proxy.url());
            assertThat(library.catalog().packs()).isEmpty();
            long kept = library.chunks().storedBytes();
            assertThat(kept).isBetween(size / 3, size * 3 / 4);

            peer = WebServer.start(peerLibrary, peerJobs, WebServer.Options.withoutLogin("127.0.0.1", 0));
            proxy.target(peer.port());
            SyncStatus resumed = pull(library);
            assertThat(resumed.ok()).as(resumed.summary()).isTrue();
            assertThat(resumed.packs().get(0).bytesFetched()).isEqualTo(size - kept);
            assertThat(proxy.bytesFromPeer()).as("both runs together").isLessThanOrEqualTo(size * 105 / 100);
            assertThat(watch.partialSeen()).isFalse();
            assertThat(library.catalog().pack("big").orElseThrow().digest()).isEqualTo(peerPack().digest());
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).problems()).isEmpty();
        }
    }

    @Test
    void killingThePullingProcessHalfwayThenSyncingAgainResumesWhereItStopped() throws Exception {
        long size = peerPack().totalSize();
        Path data = tmp.resolve("killed-data");
        try (Server here = Server.start(data)) {
            proxy.resetCount();
            Path log = tmp.resolve("killed-sync.log");
            Process sync = new ProcessBuilder(JarProcess.command(List.of("-Xmx256m"), "sync", proxy.url(),
                    "--pack", "big", "--data", data.toString())).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            List<Integer> listed = new ArrayList<>();
            while (proxy.bytesFromPeer() < size / 2 && sync.isAlive() && System.nanoTime() < deadline) {
                listed.add(here.getJson("api/v1/packs").path("packs").size());
                Thread.sleep(10);
            }
            assertThat(sync.isAlive()).as("still pulling at half way; its output: %s", Files.readString(log)).isTrue();
            sync.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            assertThat(sync.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(listed).as("the server never listed the pack while it was being pulled").isNotEmpty()
                    .containsOnly(0);
            assertThat(here.getJson("api/v1/packs").path("packs").size()).isZero();
            assertThat(here.library().chunks().storedBytes()).isBetween(size / 3, size * 3 / 4);

            JarProcess.Result resumed = JarProcess.run("sync", proxy.url(), "--pack", "big", "--data",
                    data.toString());
            assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
            assertThat(resumed.out()).contains("added").contains("big").contains("Added 1 pack");
            assertThat(proxy.bytesFromPeer()).as("both runs together").isLessThanOrEqualTo(size * 105 / 100);
            JsonNode packs = here.getJson("api/v1/packs").path("packs");
            assertThat(packs.size()).isEqualTo(1);
            assertThat(packs.get(0).path("digest").asText()).isEqualTo(peerPack().digest());
            assertThat(new LibraryVerifier(here.library()).verify(ProgressListener.NONE).problems()).isEmpty();
        }
    }

    private static SyncStatus pull(Library library) {
        PeerClient client = new PeerClient(URI.create(proxy.url()));
        return new PackPuller(library, client).sync(List.of("big"), false,
                new SyncProgress(proxy.url(), false, ProgressListener.NONE));
    }

    /** Watches a library while a pack is pulled into it: any listing of it must be the whole pack. */
    static final class PartialPackWatch implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicBoolean partial = new AtomicBoolean();
        private final Thread thread;

        PartialPackWatch(Library library, PackRecord whole) {
            thread = new Thread(() -> {
                while (running.get()) {
                    library.catalog().pack(whole.id()).ifPresent(p -> {
                        if (p.fileCount() != whole.fileCount() || p.totalSize() != whole.totalSize()
                                || library.catalog().files(p.id()).size() != whole.fileCount()) {
                            partial.set(true);
                        }
                    });
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "partial-pack-watch");
            thread.setDaemon(true);
            thread.start();
        }

        boolean partialSeen() {
            return partial.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    private static String sha256(Http http, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.getBytes(path);
        assertThat(r.statusCode()).isEqualTo(200);
        MessageDigest d = Hashes.sha256();
        d.update(r.body());
        return Hashes.hex(d.digest());
    }
}
