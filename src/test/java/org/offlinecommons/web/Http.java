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

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }
}
