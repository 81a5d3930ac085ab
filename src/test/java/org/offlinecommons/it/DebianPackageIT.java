package org.offlinecommons.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

/**
 * The server as a school runs it: the .deb installed, removed and purged through apt, the service
 * started the way systemd starts it, and a SIGTERM in the middle of a large download.
 */
class DebianPackageIT {

    static final Path DATA = Path.of("/var/lib/offline-commons");
    static final Path JAR = Path.of("/usr/share/offline-commons/offline-commons.jar");
    static final Path LAUNCHER = Path.of("/usr/bin/offline-commons");
    static final Path UNIT = Path.of("/lib/systemd/system/offline-commons.service");
    static final Path CONFIG = Path.of("/etc/offline-commons/offline-commons.conf");
    static final String APT = "apt-get";
    // Waits for another apt or dpkg run (unattended upgrades, a colleague) instead of failing at once.
    static final String LOCK_WAIT = "-oDPkg::Lock::Timeout=600";
    static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    record Run(int exitCode, String output) {
    }

    static Run run(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Run ok(String... command) throws IOException, InterruptedException {
        Run r = run(command);
        assertThat(r.exitCode()).as(String.join(" ", command) + "\n" + r.output()).isZero();
        return r;
    }

    static boolean installed() throws IOException, InterruptedException {
        Run r = run("dpkg-query", "-W", "-f=${Status}", "offline-commons");
        return r.exitCode() == 0 && r.output().contains("installed") && !r.output().contains("not-installed");
    }

    static Path debFile() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("offline-commons_.*_all\\.deb"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "target/offline-commons_*_all.deb is missing: integration tests run after `mvn package`"))
                    .toAbsolutePath();
        }
    }

    @Test
    void installRunRemoveKeepsDataAndPurgeDeletesIt() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "Skipped: installing the .deb needs root (run ./scripts/test as root on Debian)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")) && Files.isExecutable(Path.of("/usr/bin/apt-get"))
                && Files.exists(Path.of("/etc/debian_version")), "Skipped: not a Debian system with dpkg and apt-get");
        // Never touch a real installation: removing and purging it would delete a school's library.
        assumeFalse(installed() || Files.exists(DATA),
                "Skipped: offline-commons is already installed here, or " + DATA + " exists");
        Path deb = debFile();
        try {
            ok(APT, LOCK_WAIT, "install", "-y", "--no-install-recommends", deb.toString());
            String listed = ok("dpkg", "-L", "offline-commons").output();
            assertThat(listed.lines()).contains(JAR.toString(), LAUNCHER.toString(), UNIT.toString(), CONFIG.toString());
            assertThat(ok("id", "-u", "offline-commons").output().trim()).isNotEqualTo("0");
            assertThat(Files.getOwner(DATA).getName()).isEqualTo("offline-commons");

            if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
                ok("systemd-analyze", "verify", UNIT.toString());
            }
            assertThat(Files.readString(UNIT)).contains("User=offline-commons", "NoNewPrivileges=yes",
                    "ProtectSystem=strict", "ReadWritePaths=/var/lib/offline-commons", "PrivateTmp=yes",
                    "Restart=on-failure");

            assertThat(ok(LAUNCHER.toString(), "--help").output()).contains("serve", "backup", "restore");

            serveLikeTheService();
            assertThat(DATA.resolve("library.db")).exists();

            ok(APT, LOCK_WAIT, "remove", "-y", "offline-commons");
            assertThat(LAUNCHER).doesNotExist();
            assertThat(JAR).doesNotExist();
            assertThat(DATA.resolve("library.db")).as("remove keeps the library").exists();
            assertThat(CONFIG).as("remove keeps the configuration").exists();

            ok(APT, LOCK_WAIT, "purge", "-y", "offline-commons");
            assertThat(DATA).as("purge deletes the library").doesNotExist();
            assertThat(CONFIG).doesNotExist();
            assertThat(run("id", "offline-commons").exitCode()).as("purge removes the system user").isNotZero();
        } finally {
            if (installed() || Files.exists(DATA)) {
                run(APT, LOCK_WAIT, "purge", "-y", "offline-commons");
            }
        }
    }

    /** As systemd would: the service user, the launcher, the config file, then SIGTERM. */
    private void serveLikeTheService() throws Exception {
        Process server = new ProcessBuilder("setpriv", "--reuid=offline-commons", "--regid=offline-commons",
                "--init-groups", "--", LAUNCHER.toString(), "serve", "--config", CONFIG.toString(),
                "--port", "0", "--bind", "127.0.0.1").redirectErrorStream(true).start();
        try {
            String url = JarProcess.awaitUrl(server);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).as("a SIGTERM is a clean stop").isZero();
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void sigtermDuringALargeDownloadFinishesItAndLeavesTheDatabaseIntact() throws Exception {
        long size = 120L * 1000 * 1000;
        Path site = tmp.resolve("site");
        PackFixtures.writeRandom(site, "media/lecture.mp4", size, 11);
        PackFixtures.write(site, "index.html", "<title>Big</title>");
        Path zip = PackFixtures.build(site, "big", "Big", tmp.resolve("big.zip"));
        Path data = tmp.resolve("data");
        try (Library library = Library.open(data)) {
            new PackImporter(library).importPack(zip, ProgressListener.NONE);
        }
        String expected = sha256(Files.newInputStream(site.resolve("media/lecture.mp4")));
        Files.deleteIfExists(zip);

        Process server = JarProcess.start(List.of("-Xmx256m"), "serve", "--data", data.toString(),
                "--packs", tmp.resolve("no-packs").toString(), "--port", "0", "--bind", "127.0.0.1");
        try {
            String url = JarProcess.awaitUrl(server);
            HttpResponse<InputStream> download = http.send(
                    HttpRequest.newBuilder(URI.create(url + "packs/big/media/lecture.mp4")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(download.statusCode()).isEqualTo(200);
            List<String> outcome = new ArrayList<>();
            try (InputStream body = download.body()) {
                byte[] first = body.readNBytes(1024 * 1024);
                assertThat(first).hasSize(1024 * 1024);
                server.destroy(); // SIGTERM, as systemctl stop sends
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update(first);
                long received = first.length;
                try {
                    byte[] buf = new byte[64 * 1024];
                    for (int n; (n = body.read(buf)) > 0; ) {
                        digest.update(buf, 0, n);
                        received += n;
                    }
                    outcome.add(received == size ? "complete" : "short");
                    if (received == size) {
                        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(expected);
                    }
                } catch (IOException cut) {
                    outcome.add("cut");
                }
            }
            // Either the whole file, byte-identical, or a connection that ended: never a short "success".
            assertThat(outcome).containsAnyOf("complete", "cut").doesNotContain("short");
            assertThat(server.waitFor(2, TimeUnit.MINUTES)).as("server stops after SIGTERM").isTrue();
            assertThat(server.exitValue()).as("SIGTERM is a clean stop").isZero();
        } finally {
            server.destroyForcibly();
        }
        try (Library library = Library.open(data)) {
            assertThat(library.integrityCheck()).containsExactly("ok");
            assertThat(library.catalog().pack("big")).isPresent();
        }
    }

    static String sha256(InputStream in) throws Exception {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
