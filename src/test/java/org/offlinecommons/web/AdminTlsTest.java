package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.web.http.PemKeyStore;

/**
 * HTTPS from the PEM files a school has, with a self-signed certificate made by openssl (or
 * keytool, where openssl is missing) for this test.
 */
class AdminTlsTest {

    @RegisterExtension
    static final TestServer server = TestServer.secure().tls();

    @TempDir
    static Path tmp;

    @Test
    void servesHttpsWithTheGivenCertificate() throws Exception {
        HttpResponse<String> r = server.http().get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        Certificate served = server.cert().certificate();
        assertThat(r.sslSession()).get().satisfies(s ->
                assertThat(s.getPeerCertificates()[0]).isEqualTo(served));
        assertThat(server.server().url()).startsWith("https://");
    }

    @Test
    void overHttpsTheSessionCookieIsSecureAndBoundToThisHost() throws Exception {
        Http http = server.http();
        HttpResponse<String> login = http.login(AdminFixtures.PASSWORD);
        assertThat(login.statusCode()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("__Host-oc_admin=").contains("; Secure", "; HttpOnly", "; SameSite=Strict");

        HttpResponse<String> own = http.send(http.admin("/api/v1/packs/nope").header("Origin", server.url()).DELETE());
        assertThat(own.statusCode()).as("passes the gate, finds no such pack").isEqualTo(404);
        HttpResponse<String> plainOrigin = http.send(http.admin("/api/v1/packs/nope")
                .header("Origin", "http://127.0.0.1:" + server.port()).DELETE());
        assertThat(plainOrigin.statusCode()).as("a plain-HTTP page is another origin").isEqualTo(403);
    }

    @Test
    void oldRsaAndEcKeysLoadAndMistakesAreExplained() throws Exception {
        Path cert = server.cert().cert();
        Path key = server.cert().key();
        if (SelfSignedCert.openssl()) {
            Path rsa = tmp.resolve("key-rsa.pem");
            SelfSignedCert.run("openssl", "rsa", "-in", key.toString(), "-traditional", "-out", rsa.toString());
            assertThat(Files.readString(rsa)).contains("BEGIN RSA PRIVATE KEY");
            assertThat(PemKeyStore.load(cert, rsa).getCertificate("server")).isNotNull();

            Path ecCert = tmp.resolve("ec-cert.pem");
            Path ecKey = tmp.resolve("ec-key.pem");
            SelfSignedCert.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", ecKey.toString(), "-out", ecCert.toString(), "-days", "2", "-subj", "/CN=localhost");
            assertThat(PemKeyStore.load(ecCert, ecKey).getKey("server", PemKeyStore.PASSWORD).getAlgorithm())
                    .isEqualTo("EC");
            assertThatThrownBy(() -> PemKeyStore.load(cert, ecKey)).hasMessageContaining("does not belong");

            Path encrypted = tmp.resolve("key-encrypted.pem");
            SelfSignedCert.run("openssl", "pkcs8", "-topk8", "-in", key.toString(), "-out", encrypted.toString(), "-passout",
                    "pass:secret");
            assertThatThrownBy(() -> PemKeyStore.load(cert, encrypted)).hasMessageContaining("is encrypted");
        }
        assertThatThrownBy(() -> PemKeyStore.load(key, key)).hasMessageContaining("not a PEM certificate");
        assertThatThrownBy(() -> PemKeyStore.load(cert, cert)).hasMessageContaining("holds no private key");
        assertThatThrownBy(() -> PemKeyStore.load(cert, tmp.resolve("missing.pem"))).hasMessageContaining("Cannot read");
        assertThatThrownBy(() -> WebServer.start(server.library(), server.jobs(), WebServer.Options.withoutLogin("127.0.0.1", 0)
                .withTls(cert, cert))).isInstanceOf(IllegalArgumentException.class);
    }
}
