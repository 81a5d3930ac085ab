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
import org.offlinecommons.web.http.AdminGate;

/**
 * The tests' one HTTP client for a server: plain requests, JSON, forms, and the admin's session
 * (cookie and CSRF token kept by hand, as a script would).
 */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String cookie;
    String csrf;

    Http(String base) {
        this.base = base;
    }

    Http(WebServer server) {
        this("http://127.0.0.1:" + server.port());
    }

    /** Logs in with JSON; returns the answer, keeping the cookie and token on success. */
    HttpResponse<String> login(String password) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request("/admin/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("password", password)))));
        if (r.statusCode() == 200) {
            cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.contains("oc_admin="))
                    .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
            csrf = JSON.readTree(r.body()).path("csrfToken").asText();
        }
        return r;
    }

    Http loggedIn() throws IOException, InterruptedException {
        HttpResponse<String> r = login(AdminFixtures.PASSWORD);
        if (r.statusCode() != 200) {
            throw new AssertionError("login failed: " + r.statusCode() + " " + r.headers().map() + " " + r.body());
        }
        return this;
    }

    /** A request with the session cookie and the token header when logged in, from this server's own pages. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (csrf != null) {
            b.header(AdminGate.CSRF_HEADER, csrf);
        }
        return b;
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<byte[]> sendForBytes(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    /** {@code body}: a JSON text, or anything Jackson writes as JSON. */
    HttpResponse<String> json(String method, String path, Object body) throws IOException, InterruptedException {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(text)));
    }

    /** A plain form post, as a browser sends it from this server's page: {@code fields} alternate names and values. */
    HttpResponse<String> form(String path, String... fields) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return send(request(path).header("Origin", base).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /**
     * A POST that declares {@code declaredBytes} over a raw socket (the JDK's client cannot stop
     * sending a body, nor finish an exchange whose 100-continue is answered with a final status):
     * with {@code expectContinue} it waits for the answer before sending anything; otherwise it
     * sends {@code sentBytes} of zeros at once, as browsers and scripts do, then reads. Returns
     * everything the server sent until it closed; a reset instead of an orderly close fails.
     */
    String rawUpload(String path, long declaredBytes, boolean expectContinue, int sentBytes) throws IOException {
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

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }
}
