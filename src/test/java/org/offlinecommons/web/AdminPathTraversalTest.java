package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.web.http.AdminGate;

/**
 * Climbing out with the URL, on every route that takes a path, sent byte for byte over a raw
 * socket (an HTTP client would clean the URL up first): the answer is 400 or 404, and never a
 * byte of a file outside the library.
 */
class AdminPathTraversalTest {

    private static final List<String> PREFIXES = List.of("/packs/garden/", "/packs/garden/docs/", "/read/garden/",
            "/pack/", "/static/", "/sync/v1/chunks/", "/sync/v1/packs/garden/", "/api/v1/packs/", "/api/v1/jobs/",
            "/admin/packs/", "/");
    private static final List<String> CLIMBS = List.of(
            "../../../../../../etc/passwd",
            "..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
            "..%2F..%2F..%2F..%2Fsecret.txt",
            "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt",
            ".%2e/.%2e/.%2e/.%2e/etc/passwd",
            "%252e%252e%252f%252e%252e%252fetc%252fpasswd",
            "%252e%252e/%252e%252e/secret.txt",
            "..\\..\\..\\..\\etc\\passwd",
            "..%5c..%5c..%5c..%5cetc%5cpasswd",
            "..%255c..%255csecret.txt",
            "index.html%00.txt",
            "%00",
            "..%00/secret.txt",
            "..;/..;/..;/etc/passwd",
            "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
            "./././../../secret.txt");

    static final String secret = "SECRET-" + UUID.randomUUID();

    @RegisterExtension
    static final TestServer server = TestServer.secure().with((library, tmp) -> {
        // Beside the library and above it: where a climb would land.
        Files.writeString(tmp.resolve("secret.txt"), secret);
        Files.writeString(tmp.resolve("data-secret.txt"), secret);
        new PackImporter(library).importPack(AdminFixtures.pack(tmp, "garden", "Garden", "index.html",
                "<title>Garden</title>", "docs/page.html", "<title>Page</title>"), ProgressListener.NONE);
    });

    @Test
    void everyClimbIsRefusedAndShowsNothingFromOutside() throws Exception {
        List<String> tried = new ArrayList<>();
        for (String prefix : PREFIXES) {
            for (String climb : CLIMBS) {
                String target = prefix + climb;
                Answer a = raw("GET", target, null);
                tried.add(target);
                assertThat(a.status).as(target + " answered " + a.text()).isIn(400, 404);
                assertThat(a.text()).as(target).doesNotContain(secret, "root:x:0:0");
            }
        }
        assertThat(tried).hasSize(PREFIXES.size() * CLIMBS.size());
    }

    @Test
    void aRawNulOrBackslashInTheRequestLineIsRefusedToo() throws Exception {
        for (String target : List.of("/packs/garden/index.html\0.txt", "/packs/garden/..\\..\\secret.txt",
                "/static/\0")) {
            Answer a = raw("GET", target, null);
            assertThat(a.status).as(target.replace('\0', '0')).isIn(400, 404);
            assertThat(a.text()).doesNotContain(secret);
        }
    }

    @Test
    void theAdminCannotBeTrickedIntoDeletingAnotherPackByItsPath() throws Exception {
        Http admin = server.admin();
        for (String target : List.of("/api/v1/packs/x%2f..%2fgarden", "/api/v1/packs/%2e%2e%2fgarden",
                "/api/v1/packs/nope/../garden", "/api/v1/packs/x%252f..%252fgarden", "/admin/packs/x/../garden/delete")) {
            Answer a = raw(target.startsWith("/admin") ? "POST" : "DELETE", target, admin);
            assertThat(a.status).as(target + " answered " + a.text()).isIn(400, 404);
        }
        assertThat(server.library().catalog().pack("garden")).isPresent();
        // The same session and token do delete by the plain path: the refusals above were the path's doing.
        assertThat(raw("DELETE", "/api/v1/packs/garden", admin).status).isEqualTo(200);
        assertThat(server.library().catalog().pack("garden")).isEmpty();
    }

    private record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private static Answer raw(String method, String target, Http admin) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + server.port() + "\r\nConnection: close\r\n");
            if (admin != null) {
                request.append("Cookie: ").append(admin.cookie).append("\r\n").append(AdminGate.CSRF_HEADER)
                        .append(": ").append(admin.csrf).append("\r\nContent-Length: 0\r\n");
            }
            request.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            String statusLine = text.lines().findFirst().orElse("");
            String[] parts = statusLine.split(" ");
            int status = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
            return new Answer(status, all.toByteArray());
        }
    }
}
