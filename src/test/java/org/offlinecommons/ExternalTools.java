package org.offlinecommons;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Programs we did not write, run by tests as the other side: zimcheck, zimdump, jing, kiwix-serve. */
public final class ExternalTools {

    private ExternalTools() {
    }

    /** What a program printed (standard output and error together) and how it ended. */
    public record Result(int exit, String output) {
    }

    /** Runs {@code command} to its end, failing after {@code timeout}. */
    public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    /** A path with each segment URL-encoded, the slashes kept. */
    public static String encodePath(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            parts.add(URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("/", parts);
    }

    /** kiwix-serve (Debian's kiwix-tools) serving one ZIM on a free loopback port, stopped on close. */
    public static final class KiwixServe implements AutoCloseable {

        private final Process process;
        private final String base;

        private KiwixServe(Process process, String base) {
            this.process = process;
            this.base = base;
        }

        /** Starts it and waits until it answers; its output goes to {@code log}. */
        public static KiwixServe start(Path zim, Path log) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process process = new ProcessBuilder("kiwix-serve", "--address=127.0.0.1", "--port=" + port, zim.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            KiwixServe server = new KiwixServe(process, "http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 100; i++) {
                try {
                    http.send(HttpRequest.newBuilder(URI.create(server.base + "/")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    return server;
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
            server.close();
            throw new IOException("kiwix-serve did not start: " + Files.readString(log));
        }

        /** Its address, e.g. {@code http://127.0.0.1:41234}. */
        public String base() {
            return base;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
