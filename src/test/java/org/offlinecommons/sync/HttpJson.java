package org.offlinecommons.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A test's HTTP client for JSON APIs: status and parsed body. */
final class HttpJson {

    record Answer(int status, JsonNode body) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpJson() {
    }

    static Answer get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    static Answer post(String url, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = r.body().length == 0 ? null : JSON.readTree(r.body());
        return new Answer(r.statusCode(), body);
    }

    /** Starts a sync on {@code server} through its API and waits for the job to finish. */
    static JsonNode syncJob(String server, String requestJson) throws IOException, InterruptedException {
        Answer started = post(server + "api/v1/sync", requestJson);
        if (started.status() != 202) {
            throw new IllegalStateException("sync not started: " + started.status() + " " + started.body());
        }
        String status = server + started.body().get("status").asText().substring(1);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode view = get(status).body();
            String state = view.path("job").path("state").asText();
            if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                return view;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("sync job did not finish in 5 minutes");
    }
}
