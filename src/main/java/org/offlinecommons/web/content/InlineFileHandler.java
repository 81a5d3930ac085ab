package org.offlinecommons.web.content;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;

/**
 * The outermost handler: answers what memory alone can answer (a page, stylesheet or picture
 * asked for before) on the thread that read the request, and hands everything else to the thread
 * pool for the handlers below it, which may wait for SQLite, a disk or a slow upload.
 *
 * <p>Jetty hands each request from the thread that selects sockets to a pool thread unless the
 * server says its handlers never block. That hand-off (thread wake-ups, a reserved thread taking
 * over the selecting) cost about a third of a small page's CPU (docs/performance.md, "Pages").
 * So this handler says it never blocks, and keeps that promise: a reply from memory is written
 * without waiting (a slow client's rest is sent when its socket drains), and anything else is
 * dispatched. The graceful stop's handler is below this one, so this handler counts its own
 * answers still being sent (a slow client draining a page) and a stop waits for them too.
 */
public final class InlineFileHandler extends Handler.Wrapper implements Graceful {

    private final PackFiles files;
    private final PackFileHandler packFiles;
    private final Executor pool;
    /** Answers from memory whose bytes are not all sent yet. */
    private final AtomicInteger sending = new AtomicInteger();
    private volatile CompletableFuture<Void> stopped;

    public InlineFileHandler(PackFiles files, PackFileHandler packFiles, Executor pool) {
        this.files = files;
        this.packFiles = packFiles;
        this.pool = pool;
    }

    /**
     * Bodies up to this size are sent by the selector thread. A larger one costs its copies into
     * the socket, not the hand-off, and sent inline it would hold every other connection behind
     * it on one core (the 750 KB page lost 12 % that way).
     */
    public static final int INLINE_MAX_BYTES = 64 * 1024;

    private static boolean inlineSized(PackFiles.Body body) {
        return !(body instanceof PackFiles.Bytes bytes) || bytes.buffer().remaining() <= INLINE_MAX_BYTES;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        PackFileHandler.Asked asked = PackFileHandler.asked(request);
        if (asked != null && sentInline(request, response, callback, asked)) {
            return true;
        }
        pool.execute(() -> {
            try {
                if (!super.handle(request, response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable e) {
                Response.writeError(request, response, callback, e);
            }
        });
        return true;
    }

    /** True when the answer is small and in memory, and so sent from here. */
    private boolean sentInline(Request request, Response response, Callback callback, PackFileHandler.Asked asked) {
        long started = System.nanoTime();
        PackFiles.Reply reply;
        try {
            reply = files.replyFromMemory(asked.packId(), asked.file(), asked.head(), request.getHeaders()::get);
        } catch (RuntimeException e) {
            return false; // left to the handlers below, which answer failures
        }
        if (reply == null || !inlineSized(reply.body())) {
            return false;
        }
        sending.incrementAndGet();
        packFiles.send(request, response, counted(callback), asked, reply, started);
        return true;
    }

    /** The callback, and one answer fewer in flight once it completes either way. */
    private Callback counted(Callback callback) {
        return new Callback() {
            @Override
            public void succeeded() {
                try {
                    callback.succeeded();
                } finally {
                    sent();
                }
            }

            @Override
            public void failed(Throwable x) {
                try {
                    callback.failed(x);
                } finally {
                    sent();
                }
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
    }

    private void sent() {
        // The count first, then the stop: a stop that starts in between sees the count at zero.
        if (sending.decrementAndGet() == 0) {
            CompletableFuture<Void> waiting = stopped;
            if (waiting != null) {
                waiting.complete(null);
            }
        }
    }

    /** Called by the server's stop once the connectors are closed: done when every answer is sent. */
    @Override
    public synchronized CompletableFuture<Void> shutdown() {
        if (stopped == null) {
            stopped = new CompletableFuture<>();
        }
        if (sending.get() == 0) {
            stopped.complete(null);
        }
        return stopped;
    }

    @Override
    public boolean isShutdown() {
        return stopped != null;
    }
}
