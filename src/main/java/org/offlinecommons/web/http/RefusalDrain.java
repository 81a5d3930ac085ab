package org.offlinecommons.web.http;

import io.javalin.http.Context;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * Makes a refusal readable by a client that is still sending its body (an upload over the
 * limit). Closing a connection with unread bytes makes the kernel send a reset, which can reach
 * the client before it has read the answer, or while it is still writing (then it sees a broken
 * pipe, never the 413). So the answer is sent first, then what the client keeps sending is read
 * and dropped, bounded in bytes and time, before Jetty closes the connection. A client that asked
 * first ({@code Expect: 100-continue}) has sent no body and gets its answer with no drain.
 */
public final class RefusalDrain {

    /** About what a LAN delivers in the time allowed; more is a client that does not listen. */
    public static final long MAX_BYTES = 64L << 20;
    public static final long MAX_NANOS = 2_000_000_000L;
    /** A client that stopped sending for this long has read the answer, or will not. */
    public static final long QUIET_NANOS = 200_000_000L;

    private RefusalDrain() {
    }

    /** When the request's body was not read to its end: sends the answer now, then drains. */
    public static void ifBodyUnread(Context ctx) {
        HttpServletRequest req = ctx.req();
        try {
            if (!unread(req)) {
                return;
            }
            InputStream result = ctx.resultInputStream();
            byte[] answer = result == null ? new byte[0] : result.readAllBytes();
            ctx.result(new byte[0]);
            HttpServletResponse res = ctx.res();
            res.setHeader("Connection", "close");
            res.setContentLength(answer.length);
            res.getOutputStream().write(answer);
            res.flushBuffer();
            drain(req.getInputStream());
        } catch (IOException | IllegalStateException e) {
            // The client went away: nothing left to tell it.
        }
    }

    private static boolean unread(HttpServletRequest req) throws IOException {
        boolean hasBody = req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
        return hasBody && req.getHeader("Expect") == null && !req.getInputStream().isFinished();
    }

    private static void drain(ServletInputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long start = System.nanoTime();
        long lastData = start;
        long drained = 0;
        while (drained < MAX_BYTES && !in.isFinished()) {
            long now = System.nanoTime();
            if (now - start > MAX_NANOS || now - lastData > QUIET_NANOS) {
                return;
            }
            int available = in.available();
            if (available <= 0) {
                sleep();
                continue;
            }
            int n = in.read(buffer, 0, Math.min(available, buffer.length));
            if (n < 0) {
                return;
            }
            drained += n;
            lastData = System.nanoTime();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
