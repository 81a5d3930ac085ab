package org.offlinecommons.sync;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A peer that answers whatever a test tells it to, byte for byte: JDK's own HTTP server, so
 * that what is under test (our client) shares no code with what it talks to.
 */
final class FakePeer implements AutoCloseable {

    /** One answer; {@code chunked} sends it without a Content-Length. */
    record Answer(int status, byte[] body, boolean chunked) {
        static Answer ok(byte[] body) {
            return new Answer(200, body, false);
        }

        static Answer status(int status, String text) {
            return new Answer(status, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        }
    }

    private final HttpServer server;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    /** {@code answers} gets the request path (e.g. /sync/v1/catalog.json); null means 404. */
    FakePeer(Function<String, Answer> answers) throws IOException {
        this((path, body) -> answers.apply(path));
    }

    /** {@code answers} gets the request path and body (empty for GET and HEAD); null means 404. */
    FakePeer(java.util.function.BiFunction<String, byte[], Answer> answers) throws IOException {
        // Without TCP_NODELAY each answer waits out the client's delayed ACK (~40 ms a request).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "fake-peer");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Answer a;
            try {
                a = answers.apply(path, exchange.getRequestBody().readAllBytes());
            } catch (RuntimeException e) {
                a = Answer.status(500, "test peer failed: " + e);
            }
            if (a == null) {
                a = Answer.status(404, "not here");
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(a.status(), head ? -1 : a.chunked() ? 0 : a.body().length == 0 ? -1
                    : a.body().length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int off = 0; off < a.body().length; off += 64 * 1024) {
                        out.write(a.body(), off, Math.min(64 * 1024, a.body().length - off));
                    }
                } catch (IOException e) {
                    // The client hung up early, as it should on an oversized answer.
                }
            }
            exchange.close();
        });
        server.start();
    }

    /** Serves a library's real sync tree, except where {@code change} answers otherwise. */
    static FakePeer serving(LibraryTree tree, Function<String, Answer> change) throws IOException {
        return new FakePeer(path -> {
            Answer changed = change.apply(path);
            return changed != null ? changed : real(tree, path);
        });
    }

    static Answer real(LibraryTree tree, String path) {
        String root = "/" + SyncTree.ROOT + "/";
        if (path.equals("/" + SyncTree.CATALOG)) {
            return Answer.ok(tree.catalog());
        }
        if (path.startsWith(root + "chunks/")) {
            return tree.chunk(path.substring((root + "chunks/").length())).map(Answer::ok).orElse(null);
        }
        if (path.startsWith(root + "pieces/")) {
            return tree.piece(path.substring((root + "pieces/").length())).map(Answer::ok).orElse(null);
        }
        if (path.startsWith(root + "packs/") && path.endsWith("/manifest.json")) {
            String[] parts = path.substring((root + "packs/").length()).split("/");
            return tree.manifest(parts[0], Long.parseLong(parts[1])).map(Answer::ok).orElse(null);
        }
        return null;
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int requests(String path) {
        AtomicInteger n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
