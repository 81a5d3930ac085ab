package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Requests that are too big, too long or too slow are cut off instead of tying the server up. */
class AdminLimitsTest {

    @RegisterExtension
    static final TestServer server = TestServer.secure().options(o -> o.withIdleTimeout(Duration.ofSeconds(1)));

    @Test
    void aClientThatStopsSendingHalfwayIsDisconnected() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            // Whatever the server says (a 408, or nothing), it then closes the connection.
            byte[] answer = in.readAllBytes();
            assertThat(new String(answer, StandardCharsets.US_ASCII)).doesNotContain("200 OK");
        }
    }

    @Test
    void overlongAddressesHeadersAndBodiesAreRefused() throws Exception {
        Http client = server.http();
        assertThat(client.get("/search?q=" + "x".repeat(20_000)).statusCode()).isIn(414, 431);
        assertThat(client.send(client.request("/").header("X-Big", "y".repeat(20_000)).GET()).statusCode())
                .isEqualTo(431);
        HttpResponse<String> body = client.send(client.request("/admin/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\": \"" + "z".repeat(2_000_000) + "\"}")));
        assertThat(body.statusCode()).isEqualTo(413);
    }
}
