package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.it.JarProcess;

/**
 * The packaged server in its own small JVM (-Xmx128m), as a school runs it: the admin password
 * made on first start, uploads far larger than the heap refused at the limit, and a password
 * that appears nowhere but in the one line that announces it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminJarIT {

    /** Larger than the whole heap: an upload held in memory would not survive it. */
    static final long LIMIT = 200L * 1000 * 1000;
    static final long FIVE_GB = 5L * 1000 * 1000 * 1000;
    private static final Pattern ANNOUNCEMENT = Pattern.compile("Admin password \\(shown only this once[^:]*\\): (\\S+)");
    private static final Pattern LOGGER_LINE = Pattern.compile("^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR)");

    @TempDir
    static Path tmp;
    static Path data;
    static Process server;
    static final List<String> output = Collections.synchronizedList(new ArrayList<>());
    static String base;
    static String password;

    @BeforeAll
    static void start() throws Exception {
        data = tmp.resolve("data");
        Path noPacks = Files.createDirectories(tmp.resolve("no-packs"));
        server = JarProcess.start(List.of("-Xmx128m"), "serve", "--data", data.toString(), "--bind", "127.0.0.1",
                "--port", "0", "--packs", noPacks.toString(), "--max-upload", Long.toString(LIMIT));
        BufferedReader reader = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            output.add(line);
            Matcher m = ANNOUNCEMENT.matcher(line);
            if (m.find()) {
                password = m.group(1);
            }
            if (line.contains("is serving")) {
                base = line.substring(line.indexOf("http://")).replaceAll("/$", "").strip();
                break;
            }
        }
        assertThat(base).as(String.join("\n", output)).isNotNull();
        Thread drain = new Thread(() -> {
            try {
                String l;
                while ((l = reader.readLine()) != null) {
                    output.add(l);
                }
            } catch (IOException ignored) {
                // The server stopped.
            }
        }, "server-output");
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    @Order(1)
    void theFirstStartShowsAPasswordOnceAndNeitherLogsNorStoresIt() throws Exception {
        assertThat(password).as(String.join("\n", output)).isNotNull().hasSizeGreaterThanOrEqualTo(16);
        Http admin = new Http(base);
        assertThat(admin.login("not " + password).statusCode()).isEqualTo(401);
        assertThat(admin.login(password).statusCode()).isEqualTo(200);
        assertThat(admin.send(admin.admin("/admin")).statusCode()).isEqualTo(200);

        awaitLine("log in (admin session opened)");
        List<String> mentioning = linesContaining(password);
        assertThat(mentioning).as("the announcement, and nothing else").hasSize(1);
        assertThat(mentioning.get(0)).matches(ANNOUNCEMENT.pattern() + ".*");
        assertThat(LOGGER_LINE.matcher(mentioning.get(0)).find()).as("printed, not logged").isFalse();
        assertThat(AdminFixtures.contains(AdminFixtures.databaseBytes(data), password.getBytes(StandardCharsets.UTF_8)))
                .as("the library keeps only the hash").isFalse();
        assertThat(linesContaining("admin: log in failed (wrong password) from 127.0.0.1")).hasSize(1);
    }

    @Test
    @Order(2)
    void aFiveGigabyteUploadIsRefusedAtTheLimitWhileCountingAndTheServerLivesOn() throws Exception {
        Http admin = new Http(base);
        admin.login(password);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        // No Content-Length: the body is sent chunked, so only counting can stop it.
        HttpResponse<String> r = http.send(admin.admin("/api/v1/packs?name=huge.zip").timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(FIVE_GB))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(Http.json(r).path("error").asText()).isEqualTo("too_large");
        assertThat(server.isAlive()).isTrue();
        assertThat(new Http(base).get("/").statusCode()).isEqualTo(200);
        assertThat(AdminFixtures.filesIn(data.resolve("uploads"))).as("nothing of it kept").isEmpty();
        assertThat(linesContaining("OutOfMemoryError")).isEmpty();
    }

    @Test
    @Order(3)
    void aDeclaredFiveGigabytesIsRefusedBeforeTheBodyIsRead() throws Exception {
        Http admin = new Http(base);
        admin.login(password);
        // Sent at once, as a browser does: the part on the way is drained, the 413 read after an orderly close.
        assertThat(admin.rawUpload("/api/v1/packs?name=huge.zip", FIVE_GB, false, 4 << 20))
                .startsWith("HTTP/1.1 413");
        // A client that asks first (Expect: 100-continue) gets its answer without sending a byte of the body.
        assertThat(admin.rawUpload("/api/v1/packs?name=huge.zip", FIVE_GB, true, 0)).startsWith("HTTP/1.1 413");
        assertThat(server.isAlive()).isTrue();
        assertThat(AdminFixtures.filesIn(data.resolve("uploads"))).isEmpty();
    }

    @Test
    @Order(4)
    void theCommandLineSetsANewPasswordWithoutShowingItAndLogsEveryoneOut() throws Exception {
        Http admin = new Http(base);
        admin.login(password);
        String newPassword = "maths-room-" + Long.toHexString(System.nanoTime());
        Process p = new ProcessBuilder(JarProcess.command(List.of("-Xmx128m"), "admin-password", "--data",
                data.toString(), "--password-file", "-")).redirectErrorStream(true).start();
        p.getOutputStream().write((newPassword + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(said).isZero();
        assertThat(said).contains("password was changed").doesNotContain(newPassword);

        assertThat(admin.send(admin.admin("/api/v1/admin/session")).statusCode()).as("the old session ended")
                .isEqualTo(401);
        assertThat(new Http(base).login(password).statusCode()).isEqualTo(401);
        assertThat(new Http(base).login(newPassword).statusCode()).isEqualTo(200);

        Path tooShort = Files.writeString(tmp.resolve("short.txt"), "abc\n");
        JarProcess.Result refused = JarProcess.run("admin-password", "--data", data.toString(), "--password-file",
                tooShort.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("at least 8 characters");

        assertThat(linesContaining(newPassword)).isEmpty();
        assertThat(AdminFixtures.contains(AdminFixtures.databaseBytes(data), newPassword.getBytes(StandardCharsets.UTF_8)))
                .isFalse();
    }

    @Test
    @Order(5)
    void badSecurityFlagsAreRefusedInWordsBeforeAnythingStarts() throws Exception {
        Path other = tmp.resolve("other-data");
        JarProcess.Result halfTls = JarProcess.run("serve", "--data", other.toString(), "--port", "0",
                "--tls-cert", tmp.resolve("cert.pem").toString());
        assertThat(halfTls.exitCode()).isEqualTo(2);
        assertThat(halfTls.err()).contains("both --tls-cert and --tls-key");
        JarProcess.Result shortToken = JarProcess.run("serve", "--data", other.toString(), "--port", "0",
                "--sync-token", "abc");
        assertThat(shortToken.exitCode()).isEqualTo(2);
        assertThat(shortToken.err()).contains("at least 16 characters");
        JarProcess.Result badSize = JarProcess.run("serve", "--data", other.toString(), "--port", "0",
                "--max-upload", "lots");
        assertThat(badSize.exitCode()).isEqualTo(2);
        assertThat(badSize.err()).contains("--max-upload", "lots");
        assertThat(Files.exists(other)).as("nothing was created").isFalse();
    }

    static List<String> linesContaining(String text) {
        synchronized (output) {
            return output.stream().filter(l -> l.contains(text)).toList();
        }
    }

    static void awaitLine(String text) throws Exception {
        org.offlinecommons.job.Jobs.until("the server's output has a line with '" + text + "'",
                () -> !linesContaining(text).isEmpty());
    }

    /** {@code size} zero bytes, made as they are read. */
    static final class Zeros extends InputStream {
        private long left;

        Zeros(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
