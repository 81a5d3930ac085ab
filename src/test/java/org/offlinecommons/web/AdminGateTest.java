package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.offlinecommons.web.AdminFixtures.PASSWORD;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.admin.AdminPassword;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.web.admin.AdminRoutes;
import org.offlinecommons.web.http.AdminGate;
import org.offlinecommons.web.http.SecurityHeaders;

/**
 * Who may change the library, checked on every state-changing endpoint the running server
 * has, read from its router: an endpoint added later is covered without touching this test.
 */
class AdminGateTest {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    /** The documented exceptions (see AdminGate): no admin session possible or wanted there. */
    /** POST /language: any visitor picks the interface's language; LanguageChoiceTest checks its Origin check. */
    private static final Set<String> EXEMPT = Set.of("POST /admin/login", "POST /sync/v1/pull-request",
            "POST /sync/v1/chunks", "POST /language");

    static final String SYNC_TOKEN = "0123456789abcdef0123456789abcdef";

    @RegisterExtension
    static final TestServer server = TestServer.secure().with((library, tmp) -> {
        PackImporter importer = new PackImporter(library);
        importer.importPack(AdminFixtures.pack(tmp, "garden", "Garden", "index.html", "<title>Garden</title>"),
                ProgressListener.NONE);
        importer.importPack(AdminFixtures.pack(tmp, "spare", "Spare", "index.html", "<title>Spare</title>"),
                ProgressListener.NONE);
    });

    /** Servers of their own for guessing: their throttles must not slow the other tests' logins. */
    @RegisterExtension
    static final TestServer guessedAt = TestServer.secure();

    @RegisterExtension
    static final TestServer flooded = TestServer.secure();

    @RegisterExtension
    static final TestServer closed = TestServer.secure().options(o -> o.withSyncToken(SYNC_TOKEN)).with((library, tmp) ->
            new PackImporter(library).importPack(AdminFixtures.pack(tmp, "garden", "Garden", "index.html",
                    "<title>Garden</title>"), ProgressListener.NONE));

    static Path tmp;
    static Library library;
    static String origin;

    @BeforeAll
    static void find() {
        tmp = server.dir();
        library = server.library();
        origin = server.url();
    }

    static List<WebServer.Endpoint> changes() {
        return server.server().endpoints().stream().filter(e -> !SAFE.contains(e.method())).toList();
    }

    /** A URL for a route pattern: path parameters filled with a name no pack has. */
    static String url(WebServer.Endpoint e) {
        return e.path().replaceAll("\\{[^}]+}", "nope").replaceAll("<[^>]+>", "nope");
    }

    @Test
    void theRouterListsTheKnownChangesAndOnlyTheDocumentedExceptions() {
        List<String> all = changes().stream().map(e -> e.method() + " " + e.path()).toList();
        assertThat(all).contains("POST /api/v1/packs", "DELETE /api/v1/packs/{id}", "POST /api/v1/sync",
                "POST /api/v1/drives/import", "POST /api/v1/drives/export", "POST /admin/packs",
                "POST /admin/packs/{id}/delete", "POST /admin/logout", "POST /admin/drives", "POST /admin/export");
        assertThat(all).containsAll(EXEMPT);
    }

    @Test
    void everyChangeIsRefusedWithoutTheAdminOrFromAnotherSiteAndPassesWithASession() throws Exception {
        Http admin = server.http().loggedIn();
        Http anonymous = server.http();
        List<String> checked = new ArrayList<>();
        for (WebServer.Endpoint e : changes()) {
            String key = e.method() + " " + e.path();
            if (EXEMPT.contains(key)) {
                continue;
            }
            String path = url(e);
            checked.add(key);
            assertThat(send(anonymous.request(path), e).statusCode()).as("no session: " + key).isIn(401, 403);
            assertThat(send(anonymous.request(path).header(AdminGate.CSRF_HEADER, admin.csrf), e).statusCode())
                    .as("a token but no session: " + key).isIn(401, 403);
            assertThat(send(admin.request(path).header("Cookie", admin.cookie), e).statusCode())
                    .as("session without token: " + key).isEqualTo(403);
            assertThat(send(admin.request(path).header("Cookie", admin.cookie)
                    .header(AdminGate.CSRF_HEADER, admin.csrf + "x"), e).statusCode())
                    .as("wrong token: " + key).isEqualTo(403);
            assertThat(send(admin.admin(path).header("Origin", "http://evil.example"), e).statusCode())
                    .as("from another site: " + key).isEqualTo(403);
            assertThat(send(admin.admin(path).header("Origin", "null"), e).statusCode())
                    .as("from a sandboxed pack page: " + key).isEqualTo(403);
            assertThat(send(admin.admin(path).header("Referer", "http://evil.example/page"), e).statusCode())
                    .as("referred by another site: " + key).isEqualTo(403);
            HttpResponse<String> ok = send(admin.admin(path).header("Origin", origin), e);
            assertThat(ok.statusCode()).as("with the session: " + key + " " + ok.body()).isNotIn(401, 403);
            if (key.equals("POST /admin/logout")) {
                admin.loggedIn();
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(8);
        assertThat(library.catalog().pack("garden")).isPresent();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b, WebServer.Endpoint e) throws Exception {
        return server.http().send(b.header("Content-Type", "application/json")
                .method(e.method(), HttpRequest.BodyPublishers.ofString("{}")));
    }

    @Test
    void unknownPathsAndMethodsAreNotAWayAround() throws Exception {
        Http anonymous = server.http();
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            assertThat(anonymous.send(anonymous.request("/api/v1/whatever").method(method,
                    HttpRequest.BodyPublishers.noBody())).statusCode()).as(method).isEqualTo(401);
        }
        assertThat(anonymous.send(anonymous.request("/admin/packs/garden/delete").POST(
                HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(401);
        assertThat(library.catalog().pack("garden")).isPresent();
    }

    @Test
    void aFormCarriesItsTokenAsAFieldAndIsRefusedWithoutIt() throws Exception {
        Http admin = server.http().loggedIn();
        HttpResponse<String> refused = admin.send(admin.request("/admin/packs/spare/delete")
                .header("Cookie", admin.cookie).header("Origin", origin)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=forged")));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("security token");
        assertThat(library.catalog().pack("spare")).isPresent();

        HttpResponse<String> deleted = admin.send(admin.request("/admin/packs/spare/delete")
                .header("Cookie", admin.cookie).header("Origin", origin)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + admin.csrf)));
        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(deleted.headers().firstValue("Location")).get().asString().startsWith("/admin?deleted=");
        assertThat(library.catalog().pack("spare")).isEmpty();
    }

    @Test
    void aMultipartBodyNeedsItsTokenBeforeTheFileAndOnlyUploadsMayDeferIt() throws Exception {
        Http admin = server.http().loggedIn();
        byte[] zip = java.nio.file.Files.readAllBytes(tmp.resolve("garden.zip"));
        AdminFixtures.Form fileFirst = new AdminFixtures.Form().file("pack", "garden.zip", zip).field("csrf", admin.csrf);
        HttpResponse<String> r = admin.send(admin.request("/api/v1/packs").header("Cookie", admin.cookie)
                .header("Content-Type", fileFirst.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(fileFirst.bytes())));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(AdminFixtures.filesIn(library.dataDir().resolve("uploads"))).isEmpty();

        AdminFixtures.Form elsewhere = new AdminFixtures.Form().field("csrf", admin.csrf).field("peer", "http://x/");
        assertThat(admin.send(admin.request("/api/v1/sync").header("Cookie", admin.cookie)
                .header("Content-Type", elsewhere.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(elsewhere.bytes()))).statusCode()).isEqualTo(403);
    }

    @Test
    void readingStaysOpenAndAdminPagesSendPeopleToTheLogin() throws Exception {
        Http anonymous = server.http();
        for (String path : List.of("/", "/pack/garden", "/search?q=garden", "/packs/garden/", "/api/v1/packs",
                "/api/v1/packs/garden", "/api/v1/jobs", "/sync/v1/catalog.json", AdminGate.LOGIN_PATH)) {
            assertThat(anonymous.get(path).statusCode()).as(path).isEqualTo(200);
        }
        for (String path : List.of("/admin", "/admin/jobs", "/admin/packs/garden/delete")) {
            HttpResponse<String> r = anonymous.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(302);
            assertThat(r.headers().firstValue("Location")).as(path).get().asString()
                    .startsWith(AdminGate.LOGIN_PATH + "?next=");
        }
        // The drives list names absolute paths on the server: the admin's alone.
        for (String path : List.of("/api/v1/drives", "/api/v1/peers")) {
            HttpResponse<String> r = anonymous.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.body()).as(path).doesNotContain(tmp.toString());
            assertThat(server.http().loggedIn().get(path).statusCode()).as(path).isEqualTo(200);
        }
        HttpResponse<String> session = anonymous.get("/api/v1/admin/session");
        assertThat(session.statusCode()).isEqualTo(401);
        assertThat(Http.json(session).path("error").asText()).isEqualTo("login_required");
    }

    @Test
    void theLoginCookieIsHttpOnlyAndStrictAndLoggingOutEndsTheSession() throws Exception {
        Http admin = server.http();
        HttpResponse<String> r = admin.login(PASSWORD);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("oc_admin=").contains("; HttpOnly", "; SameSite=Strict", "; Path=/")
                .doesNotContain("Secure");
        assertThat(admin.send(admin.admin("/api/v1/admin/session")).statusCode()).isEqualTo(200);
        assertThat(admin.send(admin.admin("/admin")).body()).contains("Log out", admin.csrf);

        HttpResponse<String> out = admin.send(admin.admin("/admin/logout").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie")).get().asString().contains("Max-Age=0");
        assertThat(admin.send(admin.admin("/api/v1/admin/session")).statusCode()).isEqualTo(401);
        assertThat(admin.send(admin.admin("/api/v1/packs/garden").DELETE()).statusCode()).isEqualTo(401);
    }

    @Test
    void aWrongPasswordIsRefusedInWordsAndTheFormGoesBackWhereItCameFrom() throws Exception {
        Http admin = server.http();
        HttpResponse<String> wrong = admin.send(admin.request(AdminGate.LOGIN_PATH)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("password=nope&next=%2Fadmin%2Fjobs")));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("That password is not right", "value=\"/admin/jobs\"");
        assertThat(admin.cookie).isNull();

        HttpResponse<String> right = admin.send(admin.request(AdminGate.LOGIN_PATH)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("password=" + java.net.URLEncoder.encode(PASSWORD,
                        java.nio.charset.StandardCharsets.UTF_8) + "&next=%2Fadmin%2Fjobs")));
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(right.headers().firstValue("Location")).hasValue("/admin/jobs");
        for (String next : List.of("https://evil.example/", "//evil.example/admin", "/admin/../packs/x",
                "/\\evil.example", "/search")) {
            assertThat(AdminRoutes.nextPage(next)).as(next).isEqualTo("/admin");
        }
    }

    @Test
    void aNewPasswordEndsEverySession() throws Exception {
        Http admin = server.http().loggedIn();
        AdminPassword password = new AdminPassword(library);
        try {
            password.set("another password entirely".toCharArray());
            assertThat(admin.send(admin.admin("/api/v1/admin/session")).statusCode()).isEqualTo(401);
            assertThat(admin.login(PASSWORD).statusCode()).isEqualTo(401);
            assertThat(admin.login("another password entirely").statusCode()).isEqualTo(200);
        } finally {
            password.set(PASSWORD.toCharArray());
        }
    }

    @Test
    void guessingFromOneAddressIsSlowedDown() throws Exception {
        // A server of its own: its throttle must not slow the other tests' logins.
        Http guesser = guessedAt.http();
        List<Integer> answers = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 20 && (last == null || last.statusCode() != 429); i++) {
            last = guesser.login("guess " + i);
            answers.add(last.statusCode());
        }
        assertThat(answers.subList(0, 6)).containsOnly(401);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(Http.json(last).path("error").asText()).isEqualTo("too_many_tries");
        // Another server is not slowed down by it.
        assertThat(server.http().login(PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void parallelGuessesGetNoMoreTriesThanTheThrottleAllows() throws Exception {
        Http guesser = flooded.http();
        long start = System.nanoTime();
        List<java.util.concurrent.Future<HttpResponse<String>>> sent = new ArrayList<>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(300);
        try {
            for (int i = 0; i < 300; i++) {
                String guess = "parallel guess " + i;
                sent.add(pool.submit(() -> guesser.login(guess)));
            }
            int tries = 0;
            for (var f : sent) {
                int status = f.get().statusCode();
                assertThat(status).isIn(401, 429, 503);
                tries += status == 401 ? 1 : 0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // The free mistakes, the one that starts the lock, then one per lock that ran out
            // while the flood lasted (each lock twice the last: 1 s, 2 s, 4 s...).
            int allowance = org.offlinecommons.admin.LoginThrottle.FREE_FAILURES + 1
                    + (int) Math.floor(Math.log(seconds + 1) / Math.log(2));
            assertThat(tries).as("tries in %.1f s", seconds).isLessThanOrEqualTo(allowance);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSyncTokenClosesTheSyncTreeToPeersWithoutItAndOnlyIt() throws Exception {
        String token = SYNC_TOKEN;
        Http peer = closed.http();
        HttpResponse<String> none = peer.get("/sync/v1/catalog.json");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        assertThat(Http.json(none).path("error").asText()).isEqualTo("sync_token_required");
        assertThat(peer.send(peer.request("/sync/v1/catalog.json").header("Authorization", "Bearer " + token + "0"))
                .statusCode()).isEqualTo(401);
        assertThat(peer.send(peer.request("/sync/v1/catalog.json").header("Authorization", "Bearer " + token))
                .statusCode()).isEqualTo(200);
        assertThat(peer.send(peer.request("/sync/v1/pull-request").POST(HttpRequest.BodyPublishers.ofString("{}")))
                .statusCode()).isEqualTo(401);
        assertThat(peer.get("/pack/garden").statusCode()).as("reading pages stay open").isEqualTo(200);
        assertThat(server.http().get("/sync/v1/catalog.json").statusCode()).as("open by default").isEqualTo(200);
    }

    @Test
    void pagesCarryTheirSecurityHeaders() throws Exception {
        Http anonymous = server.http();
        HttpResponse<String> page = anonymous.get("/pack/garden");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(SecurityHeaders.PAGE_POLICY);
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");

        HttpResponse<String> pack = anonymous.get("/packs/garden/index.html");
        assertThat(pack.headers().firstValue("Content-Security-Policy")).get().asString()
                .startsWith("sandbox allow-scripts allow-forms allow-popups;").doesNotContain("allow-same-origin")
                .contains("connect-src 'none'");
        assertThat(pack.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");

        HttpResponse<String> login = anonymous.get(AdminGate.LOGIN_PATH);
        assertThat(login.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("frame-ancestors 'none'", "script-src 'self'");
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(login.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(login.body()).doesNotContain("<script", "style=");
    }
}
