package org.offlinecommons.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

/**
 * A 2 GB pack downloads as a zip from a server whose heap is 128 MiB: the length is known before the
 * first byte, the stream is a zip whose film has the pack's SHA-256, a download resumed at half gives
 * the same second half, and the end of the file can be asked for alone.
 */
class LargeDownloadIT {

    static final long FILM = 2_000_000_000L;

    @TempDir
    Path tmp;

    @Test
    void aTwoGigabytePackDownloadsUnder128MiBOfHeap() throws Exception {
        Path site = tmp.resolve("site");
        PackFixtures.writeRandom(site, "media/film.bin", FILM, 9);
        PackFixtures.write(site, "index.html", "<title>Film</title><p>A long film.</p>");
        Path zip = tmp.resolve("film.zip");
        PackBuilder.buildStreamed(site, PackBuilder.Options.of("film", "A film"), zip, ProgressListener.NONE);
        Files.delete(site.resolve("media/film.bin"));
        Path data = tmp.resolve("data");
        String sha256;
        try (Library library = Library.open(data)) {
            new PackImporter(library).importPack(zip, ProgressListener.NONE);
            sha256 = library.catalog().file("film", "media/film.bin").orElseThrow().sha256();
        }
        Files.delete(zip);
        Files.createDirectories(tmp.resolve("packs"));

        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx128m", "-cp",
                System.getProperty("java.class.path"), "org.offlinecommons.cli.Main", "serve", "--port", "0",
                "--bind", "127.0.0.1", "--data", data.toString(), "--packs", tmp.resolve("packs").toString(),
                "--no-discovery"));
        Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String base = JarProcess.awaitUrl(server);
            HttpClient http = HttpClient.newHttpClient();
            long started = System.nanoTime();
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "download/film.zip"))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            long firstByte = System.nanoTime();
            assertThat(r.statusCode()).isEqualTo(200);
            long length = Long.parseLong(r.headers().firstValue("Content-Length").orElseThrow());
            assertThat(length).isGreaterThan(FILM);
            String etag = r.headers().firstValue("ETag").orElseThrow();
            long[] counted = {0};
            long half = length / 2;
            MessageDigest secondHalf = MessageDigest.getInstance("SHA-256");
            String filmHash = null;
            try (InputStream body = new FilterInputStream(r.body()) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        long from = Math.max(counted[0], half);
                        if (from < counted[0] + n) {
                            secondHalf.update(b, off + (int) (from - counted[0]), (int) (counted[0] + n - from));
                        }
                        counted[0] += n;
                    }
                    return n;
                }

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public long skip(long n) throws IOException {
                    // Read rather than skip: every byte goes through the hash of the second half.
                    byte[] buf = new byte[8192];
                    long done = 0;
                    int k;
                    while (done < n && (k = read(buf, 0, (int) Math.min(buf.length, n - done))) > 0) {
                        done += k;
                    }
                    return done;
                }
            }; ZipArchiveInputStream entries = new ZipArchiveInputStream(body)) {
                ZipArchiveEntry e;
                byte[] buf = new byte[1 << 16];
                while ((e = entries.getNextEntry()) != null) {
                    if (e.getName().equals("media/film.bin")) {
                        MessageDigest md = MessageDigest.getInstance("SHA-256");
                        int n;
                        while ((n = entries.read(buf)) > 0) {
                            md.update(buf, 0, n);
                        }
                        filmHash = HexFormat.of().formatHex(md.digest());
                    }
                }
                body.transferTo(java.io.OutputStream.nullOutputStream());
            }
            long done = System.nanoTime();
            assertThat(filmHash).isEqualTo(sha256);
            assertThat(counted[0]).isEqualTo(length);
            System.out.printf("LargeDownloadIT: %d bytes, first byte after %.1f s (index pass), whole after %.1f s%n",
                    length, (firstByte - started) / 1e9, (done - started) / 1e9);

            // A download cut at half and resumed: the same bytes, from a file opened at its middle.
            HttpResponse<InputStream> resumed = http.send(HttpRequest.newBuilder(URI.create(base + "download/film.zip"))
                    .header("Range", "bytes=" + half + "-").header("If-Range", etag).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(resumed.statusCode()).isEqualTo(206);
            MessageDigest again = MessageDigest.getInstance("SHA-256");
            try (InputStream in = resumed.body()) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    again.update(buf, 0, n);
                }
            }
            assertThat(again.digest()).isEqualTo(secondHalf.digest());

            HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(URI.create(base + "download/film.zip"))
                    .header("Range", "bytes=" + (length - 100_000) + "-").header("If-Range", etag).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(tail.statusCode()).isEqualTo(206);
            assertThat(tail.body()).hasSize(100_000);
            assertThat(new String(tail.body(), tail.body().length - 22, 4, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .isEqualTo("PK\u0005\u0006");
            assertThat(server.isAlive()).as("the server survived on its small heap").isTrue();
        } finally {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
