package org.offlinecommons.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.offlinecommons.admin.AdminPassword;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.store.Library;

/**
 * A real server on port 0 over a real library in a folder of its own: secure by default (the
 * admin login on, with {@link AdminFixtures#PASSWORD}), and the one HTTP helper ({@link Http}) to
 * call it, logged in when asked. In a static field it serves the whole test class; in an
 * instance field, each test gets a fresh one (for tests that change the library).
 * <pre>
 * &#64;RegisterExtension
 * static final TestServer server = TestServer.secure().with((library, dir) -> ...);
 * </pre>
 */
public final class TestServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    /** What to put in the library before the server starts. */
    @FunctionalInterface
    public interface Setup {
        void accept(Library library, Path dir) throws Exception;
    }

    private final boolean secure;
    private Setup setup = (library, dir) -> { };
    private UnaryOperator<WebServer.Options> options = UnaryOperator.identity();
    private Function<Library, Drives> drives = Drives::defaults;
    private boolean tls;
    private SelfSignedCert cert;
    private javax.net.ssl.SSLContext trust;
    private Path dir;
    private Library library;
    private JobRunner jobs;
    private WebServer server;
    /** Started for the whole class (a static field), not for each test. */
    private boolean perClass;

    private TestServer(boolean secure) {
        this.secure = secure;
    }

    /** With the admin login, as {@code serve} always runs. */
    public static TestServer secure() {
        return new TestServer(true);
    }

    /** Without the admin login: a peer that other servers only read from. */
    public static TestServer open() {
        return new TestServer(false);
    }

    public TestServer with(Setup s) {
        this.setup = s;
        return this;
    }

    public TestServer options(UnaryOperator<WebServer.Options> change) {
        this.options = change;
        return this;
    }

    /** Over HTTPS with a self-signed certificate made for the server; {@link #http()} trusts it. */
    public TestServer tls() {
        this.tls = true;
        return this;
    }

    public TestServer drives(Function<Library, Drives> make) {
        this.drives = make;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (perClass) {
            stop();
        }
    }

    private void start() throws Exception {
        dir = Files.createTempDirectory("oc-server-");
        library = Library.open(dir.resolve("data"));
        if (secure) {
            new AdminPassword(library).set(AdminFixtures.PASSWORD.toCharArray());
        }
        setup.accept(library, dir);
        jobs = new JobRunner();
        WebServer.Options base = secure ? new WebServer.Options("127.0.0.1", 0)
                : WebServer.Options.withoutLogin("127.0.0.1", 0);
        if (tls) {
            cert = SelfSignedCert.in(Files.createDirectories(dir.resolve("tls")));
            trust = cert.trusting();
            base = base.withTls(cert.cert(), cert.key());
        }
        server = WebServer.start(library, jobs, options.apply(base), drives.apply(library));
    }

    private void stop() throws IOException {
        server.close();
        jobs.close();
        library.close();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public Library library() {
        return library;
    }

    public JobRunner jobs() {
        return jobs;
    }

    public WebServer server() {
        return server;
    }

    /** The folder the library and anything the setup made live in. */
    public Path dir() {
        return dir;
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + server.port();
    }

    /** The server's certificate and key, with {@link #tls()}. */
    public SelfSignedCert cert() {
        return cert;
    }

    /** A client that has not logged in. */
    public Http http() {
        return tls ? new Http(url(), trust) : new Http(url());
    }

    /** A client logged in as the admin. */
    public Http admin() throws IOException, InterruptedException {
        return http().loggedIn();
    }
}
