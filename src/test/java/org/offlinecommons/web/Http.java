package org.offlinecommons.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.offlinecommons.web.http.AdminGate;

/**
 * The tests' one HTTP client for a server: plain requests, JSON, forms, and the admin's session
 * (cookie and CSRF token kept by hand, as a script would).
 */
public final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    final String base;
    private final HttpClient http;
    String cookie;
    String csrf;

    public Http(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Over HTTPS, trusting what {@code tls} trusts (a test's self-signed certificate). */
    public Http(String base, SSLContext tls) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).sslContext(tls).build();
    }

    public Http(WebServer server) {
        this("http://127.0.0.1:" + server.port());
    }

    /** Logs in with JSON; returns the answer, keeping the cookie and token on success. */
    public HttpResponse<String> login(String password) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request("/admin/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("password", password)))));
        if (r.statusCode() == 200) {
            cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.contains("oc_admin="))
                    .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
            csrf = JSON.readTree(r.body()).path("csrfToken").asText();
        }
        return r;
    }

    public Http loggedIn() throws IOException, InterruptedException {
        HttpResponse<String> r = login(AdminFixtures.PASSWORD);
        if (r.statusCode() != 200) {
            throw new AssertionError("login failed: " + r.statusCode() + " " + " " + r.body());
        }
        return this;
    }

    /** A plain request, with neither cookie nor token. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    }

    /** With the session cookie and the token header, when logged in. */
    public HttpRequest.Builder admin(String path) {
        HttpRequest.Builder b = request(path);
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (csrf != null) {
            b.header(AdminGate.CSRF_HEADER, csrf);
        }
        return b;
    }

    public HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public HttpResponse<byte[]> sendForBytes(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** With the session cookie when logged in; {@code headers} alternate names and values. */
    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = admin(path).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    /** A GET with the session cookie when logged in, the answer as bytes. */
    public HttpResponse<byte[]> getBytes(String path, String... headers) throws IOException, InterruptedException {
        return bytes("GET", path, null, headers);
    }

    /** Any method, the body as it is (null for none) and the answer as bytes. */
    public HttpResponse<byte[]> bytes(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = admin(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return sendForBytes(b);
    }

    /** {@code body}: a JSON text, or anything Jackson writes as JSON. */
    public HttpResponse<String> json(String method, String path, Object body) throws IOException, InterruptedException {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(admin(path).header("Content-Type", "application/json").header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(text)));
    }

    /**
     * A form as a browser posts it from this server's page: the session cookie (no token header:
     * the page's token is one of the fields), our own Origin, the fields url-encoded.
     * {@code fields} alternate names and values.
     */
    public HttpRequest.Builder formRequest(String path, String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append(i == 0 ? "" : "&").append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = request(path).header("Origin", base).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return b;
    }

    public HttpResponse<String> form(String path, String... fields) throws IOException, InterruptedException {
        return send(formRequest(path, fields));
    }

    /**
     * A POST that declares {@code declaredBytes} over a raw socket (the JDK's client cannot stop
     * sending a body, nor finish an exchange whose 100-continue is answered with a final status):
     * with {@code expectContinue} it waits for the answer before sending anything; otherwise it
     * sends {@code sentBytes} of zeros at once, as browsers and scripts do, then reads. Returns
     * everything the server sent until it closed; a reset instead of an orderly close fails.
     */
    public String rawUpload(String path, long declaredBytes, boolean expectContinue, int sentBytes) throws IOException {
        URI address = URI.create(base);
        try (java.net.Socket s = new java.net.Socket(address.getHost(), address.getPort())) {
            s.setSoTimeout(60_000);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + address.getAuthority() + "\r\n"
                    + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                    + (csrf == null ? "" : AdminGate.CSRF_HEADER + ": " + csrf + "\r\n")
                    + "Content-Type: application/zip\r\nContent-Length: " + declaredBytes + "\r\n"
                    + (expectContinue ? "Expect: 100-continue\r\n" : "") + "\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            if (!expectContinue) {
                s.getOutputStream().write(new byte[sentBytes]);
            }
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    public static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }
}
