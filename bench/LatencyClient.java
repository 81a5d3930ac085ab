import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A closed-loop HTTP/1.1 latency client for the fairness run (bench/fairness.sh): CONNECTIONS
 * threads, each with one keep-alive connection and one request at a time, for SECONDS. It exists
 * because wrk's latencies under a CPU-saturating flood on the same machine do not hold together:
 * with 10 connections a closed loop can never have more than 10 requests outstanding, so the
 * mean latency times the request rate is at most 10, and wrk reported 25. This client prints that
 * product too ({@code outstanding}), as a check on itself.
 *
 * <p>Run as a source file ({@code java bench/LatencyClient.java 127.0.0.1 8080 /pack/x 10 10}) or compiled.
 * Prints one line in the format of bench/report.lua.
 */
public final class LatencyClient {

    private static final int MAX_REQUESTS_PER_THREAD = 500_000;
    /** The client's own JIT warms up first: answers started in this first second are not counted. */
    private static final long WARM_UP_NANOS = 1_000_000_000L;

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: LatencyClient HOST PORT PATH CONNECTIONS SECONDS");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        byte[] request = ("GET " + args[2] + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: oc-latency\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int connections = Integer.parseInt(args[3]);
        long counted = System.nanoTime() + WARM_UP_NANOS;
        long end = counted + (long) (Double.parseDouble(args[4]) * 1e9);
        Loop[] loops = new Loop[connections];
        Thread[] threads = new Thread[connections];
        for (int i = 0; i < connections; i++) {
            loops[i] = new Loop(host, port, request, counted, end);
            threads[i] = new Thread(loops[i], "latency-" + i);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long duration = System.nanoTime() - counted;
        int total = 0;
        long errors = 0;
        for (Loop l : loops) {
            total += l.count;
            errors += l.errors;
        }
        long[] all = new long[total];
        int at = 0;
        for (Loop l : loops) {
            System.arraycopy(l.latencies, 0, all, at, l.count);
            at += l.count;
        }
        Arrays.sort(all);
        double mean = Arrays.stream(all).average().orElse(0);
        double rate = total / (duration / 1e9);
        System.out.printf("RESULT requests=%d duration_us=%d bytes=0 p50_us=%d p99_us=%d mean_us=%.0f"
                        + " err_connect=0 err_read=%d err_write=0 err_status=0 err_timeout=0 outstanding=%.2f%n",
                total, duration / 1000, percentile(all, 50) / 1000, percentile(all, 99) / 1000, mean / 1000,
                errors, mean / 1e9 * rate);
    }

    private static long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) ((long) sorted.length * p / 100))];
    }

    /** One connection asking again as soon as each answer is complete. */
    private static final class Loop implements Runnable {
        final String host;
        final int port;
        final byte[] request;
        final long counted;
        final long end;
        final long[] latencies = new long[MAX_REQUESTS_PER_THREAD];
        int count;
        long errors;

        Loop(String host, int port, byte[] request, long counted, long end) {
            this.counted = counted;
            this.host = host;
            this.port = port;
            this.request = request;
            this.end = end;
        }

        @Override
        public void run() {
            while (System.nanoTime() < end && count < latencies.length) {
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(host, port), 10_000);
                    s.setSoTimeout(30_000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
                    while (count < latencies.length) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            return;
                        }
                        out.write(request);
                        out.flush();
                        boolean keepAlive = readResponse(in);
                        if (t0 >= counted) {
                            latencies[count++] = System.nanoTime() - t0;
                        }
                        if (!keepAlive) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    errors++;
                }
            }
        }

        private final byte[] line = new byte[16 * 1024];
        private final byte[] skip = new byte[64 * 1024];

        /** Reads one whole answer (Content-Length or chunked); whether the connection stays open. */
        private boolean readResponse(InputStream in) throws IOException {
            String status = readLine(in);
            if (!status.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP/1.1 answer: " + status);
            }
            long length = -1;
            boolean chunked = false;
            boolean keepAlive = true;
            for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                    chunked = true;
                } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    keepAlive = false;
                }
            }
            if (chunked) {
                for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
                    skipFully(in, size);
                    readLine(in);
                }
                while (!readLine(in).isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                skipFully(in, length);
            } else {
                throw new IOException("an answer without a length");
            }
            return keepAlive;
        }

        private long chunkSize(InputStream in) throws IOException {
            String size = readLine(in);
            int semicolon = size.indexOf(';');
            return Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        }

        private void skipFully(InputStream in, long n) throws IOException {
            while (n > 0) {
                int r = in.read(skip, 0, (int) Math.min(skip.length, n));
                if (r < 0) {
                    throw new IOException("the answer ended early");
                }
                n -= r;
            }
        }

        private String readLine(InputStream in) throws IOException {
            int n = 0;
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the connection closed");
                }
                if (n < line.length) {
                    line[n++] = (byte) b;
                }
            }
            if (n > 0 && line[n - 1] == '\r') {
                n--;
            }
            return new String(line, 0, n, StandardCharsets.ISO_8859_1);
        }
    }
}
