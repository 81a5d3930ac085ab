package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.admin.AdminPassword;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.store.Library;
import org.offlinecommons.web.http.AdminGate;
import org.offlinecommons.web.http.PemKeyStore;

/**
 * HTTPS from the PEM files a school has, with a self-signed certificate made by openssl (or
 * keytool, where openssl is missing) for this test.
 */
class AdminTlsTest {

    @TempDir
    static Path tmp;
    static Path cert;
    static Path key;
    static boolean openssl;
    static Library library;
    static JobRunner jobs;
    static WebServer server;
    static HttpClient https;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        openssl = Files.isExecutable(Path.of("/usr/bin/openssl"));
        cert = tmp.resolve("cert.pem");
        key = tmp.resolve("key.pem");
        if (openssl) {
            run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                    cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        } else {
            selfSignedWithKeytool(cert, key);
        }
        library = Library.open(tmp.resolve("data"));
        new AdminPassword(library).set(AdminFixtures.PASSWORD.toCharArray());
        jobs = new JobRunner();
        server = WebServer.start(library, jobs, new WebServer.Options("127.0.0.1", 0)
                .withTls(cert, key));
        base = "https://127.0.0.1:" + server.port();
        https = HttpClient.newBuilder().sslContext(trusting(cert)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        jobs.close();
        library.close();
    }

    @Test
    void servesHttpsWithTheGivenCertificate() throws Exception {
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.sslSession()).get().satisfies(s ->
                assertThat(s.getPeerCertificates()[0]).isEqualTo(certificates(cert).get(0)));
        assertThat(server.url()).startsWith("https://");
    }

    @Test
    void overHttpsTheSessionCookieIsSecureAndBoundToThisHost() throws Exception {
        HttpResponse<String> login = https.send(HttpRequest.newBuilder(URI.create(base + "/admin/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\": \"" + AdminFixtures.PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("__Host-oc_admin=").contains("; Secure", "; HttpOnly", "; SameSite=Strict");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = AdminFixtures.JSON.readTree(login.body()).path("csrfToken").asText();

        HttpResponse<String> own = https.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/packs/nope"))
                .header("Cookie", cookie).header(AdminGate.CSRF_HEADER, csrf).header("Origin", base).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).as("passes the gate, finds no such pack").isEqualTo(404);
        HttpResponse<String> plainOrigin = https.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/packs/nope"))
                .header("Cookie", cookie).header(AdminGate.CSRF_HEADER, csrf)
                .header("Origin", "http://127.0.0.1:" + server.port()).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plainOrigin.statusCode()).as("a plain-HTTP page is another origin").isEqualTo(403);
    }

    @Test
    void oldRsaAndEcKeysLoadAndMistakesAreExplained() throws Exception {
        if (openssl) {
            Path rsa = tmp.resolve("key-rsa.pem");
            run("openssl", "rsa", "-in", key.toString(), "-traditional", "-out", rsa.toString());
            assertThat(Files.readString(rsa)).contains("BEGIN RSA PRIVATE KEY");
            assertThat(PemKeyStore.load(cert, rsa).getCertificate("server")).isNotNull();

            Path ecCert = tmp.resolve("ec-cert.pem");
            Path ecKey = tmp.resolve("ec-key.pem");
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", ecKey.toString(), "-out", ecCert.toString(), "-days", "2", "-subj", "/CN=localhost");
            assertThat(PemKeyStore.load(ecCert, ecKey).getKey("server", PemKeyStore.PASSWORD).getAlgorithm())
                    .isEqualTo("EC");
            assertThatThrownBy(() -> PemKeyStore.load(cert, ecKey)).hasMessageContaining("does not belong");

            Path encrypted = tmp.resolve("key-encrypted.pem");
            run("openssl", "pkcs8", "-topk8", "-in", key.toString(), "-out", encrypted.toString(), "-passout",
                    "pass:secret");
            assertThatThrownBy(() -> PemKeyStore.load(cert, encrypted)).hasMessageContaining("is encrypted");
        }
        assertThatThrownBy(() -> PemKeyStore.load(key, key)).hasMessageContaining("not a PEM certificate");
        assertThatThrownBy(() -> PemKeyStore.load(cert, cert)).hasMessageContaining("holds no private key");
        assertThatThrownBy(() -> PemKeyStore.load(cert, tmp.resolve("missing.pem"))).hasMessageContaining("Cannot read");
        assertThatThrownBy(() -> WebServer.start(library, jobs, WebServer.Options.withoutLogin("127.0.0.1", 0)
                .withTls(cert, cert))).isInstanceOf(IllegalArgumentException.class);
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    }

    /** Without openssl: keytool makes the pair, and the PEM files are written from its store. */
    static void selfSignedWithKeytool(Path certFile, Path keyFile) throws Exception {
        Path store = tmp.resolve("self.p12");
        run("keytool", "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias", "s", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\n"
                + pem.encodeToString(ks.getCertificate("s").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                + pem.encodeToString(ks.getKey("s", "changeit".toCharArray()).getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    static List<Certificate> certificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificates(pem).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
