package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
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

/**
 * The PEM files a school has, for 127.0.0.1 and localhost: made by openssl (or keytool, where
 * openssl is missing), and a client context that trusts exactly that certificate.
 */
public record SelfSignedCert(Path cert, Path key) {

    public static boolean openssl() {
        return Files.isExecutable(Path.of("/usr/bin/openssl"));
    }

    /** Writes {@code cert.pem} and {@code key.pem} into {@code dir}. */
    public static SelfSignedCert in(Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        if (openssl()) {
            run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                    cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        } else {
            withKeytool(dir, cert, key);
        }
        return new SelfSignedCert(cert, key);
    }

    public static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    }

    /** Without openssl: keytool makes the pair, and the PEM files are written from its store. */
    private static void withKeytool(Path dir, Path certFile, Path keyFile) throws Exception {
        Path store = dir.resolve("self.p12");
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

    public Certificate certificate() throws Exception {
        try (InputStream in = Files.newInputStream(cert)) {
            List<Certificate> all = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            return all.get(0);
        }
    }

    /** A client context that trusts this certificate and nothing else. */
    public SSLContext trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
