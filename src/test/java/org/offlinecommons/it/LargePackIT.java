package org.offlinecommons.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.ImportResult;
import org.offlinecommons.pack.LibrarySnapshot;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;

/**
 * The core promises with large real files and the packaged jar: byte-identical round trips,
 * deduplication, ranges on a small heap, and a kill -9 in the middle of an import.
 */
class LargePackIT {

    static final long BIG = 200L * 1000 * 1000;
    static final long SHARED = 50L * 1000 * 1000;

    @TempDir
    static Path tmp;
    static Path source;
    static Path bigZip;

    @BeforeAll
    static void buildFixtures() throws Exception {
        source = tmp.resolve("source");
        PackFixtures.writeRandom(source, "media/lecture.mp4", BIG, 1);
        PackFixtures.write(source, "index.html", "<title>Big pack</title><a href=\"docs/ünïcødé/日本語.html\">x</a>");
        PackFixtures.write(source, "docs/ünïcødé/日本語.html", "<title>Nihongo</title><p>こんにちは</p>");
        PackFixtures.write(source, "docs/deep/er/still/notes.md", "# Deep\n\ntext\n");
        PackFixtures.write(source, "empty.txt", "");
        bigZip = tmp.resolve("big.zip");
        JarProcess.Result r = JarProcess.run("pack", source.toString(), "--id", "big", "--title", "Big pack",
                "--out", bigZip.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("pack 'big' version 1");
    }

    @Test
    void roundTripThroughTheCliIsByteIdentical() throws Exception {
        Path data = tmp.resolve("roundtrip-data");
        JarProcess.Result imported = JarProcess.run("import", bigZip.toString(), "--data", data.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported 'big' version 1");

        JarProcess.Result list = JarProcess.run("list", "--data", data.toString());
        assertThat(list.out()).contains("big").contains("Big pack").contains("200 MB");

        Path exported = tmp.resolve("exported.zip");
        assertThat(JarProcess.run("export", "big", "--out", exported.toString(), "--data", data.toString())
                .exitCode()).isZero();
        Path unzipped = tmp.resolve("unzipped");
        ProcessBuilder unzipCommand = new ProcessBuilder("unzip", "-q", exported.toString(), "-d", unzipped.toString())
                .inheritIO();
        unzipCommand.environment().put("LC_ALL", "C.UTF-8"); // unzip decodes UTF-8 names only in a UTF-8 locale
        Process unzip = unzipCommand.start();
        assertThat(unzip.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(unzip.exitValue()).isZero();
        Files.delete(unzipped.resolve("pack.json"));
        Files.deleteIfExists(unzipped.resolve("pack-files.tsv")); // format 2's file list
        assertThat(hashes(unzipped)).isEqualTo(hashes(source)).containsKey("empty.txt")
                .containsKey("docs/ünïcødé/日本語.html");

        JarProcess.Result verify = JarProcess.run("verify", "--data", data.toString());
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).startsWith("OK: 1 packs");
    }

    @Test
    void twoPacksSharingAFileStoreItOnce() throws Exception {
        Path a = tmp.resolve("share-a");
        Path b = tmp.resolve("share-b");
        PackFixtures.writeRandom(a, "video/shared.mp4", SHARED, 99);
        PackFixtures.write(a, "index.html", "<title>A</title>");
        PackFixtures.writeRandom(b, "other-name.mp4", SHARED, 99);
        PackFixtures.write(b, "index.html", "<title>B</title>");
        Path data = tmp.resolve("share-data");
        long empty = databaseSize(data);
        importAndClose(data, PackFixtures.build(a, "pack-a", "A", tmp.resolve("a.zip")));
        long afterA = databaseSize(data);
        importAndClose(data, PackFixtures.build(b, "pack-b", "B", tmp.resolve("b.zip")));
        long afterB = databaseSize(data);
        assertThat(afterA - empty).isBetween(SHARED, SHARED + 5_000_000);
        assertThat(afterB - afterA).isLessThan(2_000_000);
    }

    @Test
    void rangeRequestsOnALargeItemWorkWithA128MegabyteHeap() throws Exception {
        Path data = tmp.resolve("range-data");
        importAndClose(data, bigZip);
        Path noPacks = Files.createDirectories(tmp.resolve("no-packs"));
        Process server = JarProcess.start(List.of("-Xmx128m"), "serve", "--data", data.toString(), "--port", "0",
                "--bind", "127.0.0.1", "--packs", noPacks.toString());
        try {
            String url = JarProcess.awaitUrl(server);
            HttpClient http = HttpClient.newHttpClient();
            byte[] expected = new byte[1_000_000];
            try (var f = new java.io.RandomAccessFile(source.resolve("media/lecture.mp4").toFile(), "r")) {
                f.seek(123_456_789);
                f.readFully(expected);
            }
            HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(URI.create(url + "packs/big/media/lecture.mp4"))
                    .header("Range", "bytes=123456789-124456788").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(expected);

            // The whole file, streamed: must not need the heap to hold it.
            HttpResponse<InputStream> whole = http.send(HttpRequest.newBuilder(
                    URI.create(url + "packs/big/media/lecture.mp4")).build(), HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest d = Hashes.sha256();
            long n = 0;
            try (InputStream in = whole.body()) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) > 0) {
                    d.update(buf, 0, r);
                    n += r;
                }
            }
            assertThat(n).isEqualTo(BIG);
            assertThat(Hashes.hex(d.digest())).isEqualTo(PackFixtures.sha256(source.resolve("media/lecture.mp4")));
            assertThat(server.isAlive()).isTrue();
        } finally {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void killingAnImportHalfwayLosesNothing() throws Exception {
        Path data = tmp.resolve("kill-data");
        Path small = PackFixtures.smallSite(tmp.resolve("kill-small"));
        importAndClose(data, PackFixtures.build(small, "garden", "Garden", tmp.resolve("garden.zip")));
        String before;
        try (Library library = Library.open(data)) {
            before = LibrarySnapshot.of(library);
        }

        Path log = tmp.resolve("kill-import.log");
        Process importer = new ProcessBuilder(JarProcess.command(List.of("-Xmx256m"), "import", bigZip.toString(),
                "--data", data.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path db = data.resolve("library.db");
        Path wal = data.resolve("library.db-wal");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (size(db) + size(wal) < BIG / 2 && importer.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(importer.isAlive()).as("import still running at half way; its output: %s", Files.readString(log))
                .isTrue();
        importer.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        importer.waitFor(30, TimeUnit.SECONDS);

        try (Library library = Library.open(data)) {
            assertThat(library.catalog().packs()).extracting(PackRecord::id).containsExactly("garden");
            assertThat(library.integrityCheck()).containsExactly("ok");
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
            assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
            long storedBeforeRetry = library.chunks().storedBytes();
            assertThat(storedBeforeRetry).as("the killed import's chunks are kept for a retry").isGreaterThan(BIG / 4);

            ImportResult retry = new PackImporter(library).importPack(bigZip, ProgressListener.NONE);
            assertThat(retry.outcome()).isEqualTo(ImportResult.Outcome.INSTALLED);
            assertThat(retry.storedBytes()).as("the retry reuses what was stored").isLessThan(BIG - BIG / 4);
            assertThat(library.catalog().packs()).extracting(PackRecord::id).containsExactly("big", "garden");
            LibraryVerifier.Report afterRetry = new LibraryVerifier(library).verify(ProgressListener.NONE);
            assertThat(afterRetry.problems()).isEmpty();
        }
        JarProcess.Result verify = JarProcess.run("verify", "--data", data.toString());
        assertThat(verify.exitCode()).as(verify.out()).isZero();
    }

    private static void importAndClose(Path data, Path zip) {
        try (Library library = Library.open(data)) {
            new PackImporter(library).importPack(zip, ProgressListener.NONE);
        }
    }

    /** The library file's size once closed (the WAL checkpointed into it). */
    private static long databaseSize(Path data) throws IOException {
        Library.open(data).close();
        return Files.size(data.resolve("library.db")) + size(data.resolve("library.db-wal"));
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), PackFixtures.sha256(p));
            }
        }
        return out;
    }
}
