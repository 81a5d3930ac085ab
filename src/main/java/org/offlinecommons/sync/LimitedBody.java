package org.offlinecommons.sync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects a response body into memory, but never more than a limit: a hostile peer cannot
 * make us buffer an endless answer. Past the limit it either fails or, for bodies whose excess
 * is itself the evidence (a chunk too long), keeps the first {@code limit} bytes and hangs up.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body is longer than allowed. */
    static final class TooLargeException extends IOException {
        TooLargeException(long limit) {
            super("the answer is larger than " + limit + " bytes");
        }
    }

    private final long limit;
    private final boolean truncate;
    private final AtomicLong received;
    private final boolean declaredTooLarge;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out;
    private Flow.Subscription subscription;
    private boolean done;

    LimitedBody(HttpResponse.ResponseInfo info, long limit, boolean truncate, AtomicLong received) {
        this.limit = limit;
        this.truncate = truncate;
        this.received = received;
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        this.declaredTooLarge = !truncate && declared > limit;
        this.out = new ByteArrayOutputStream((int) Math.min(limit, declared >= 0 ? declared : 64 * 1024));
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declaredTooLarge) {
            done = true;
            s.cancel();
            result.completeExceptionally(new TooLargeException(limit));
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (done) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = b.remaining();
            received.addAndGet(n);
            long room = limit - out.size();
            if (n > room) {
                done = true;
                subscription.cancel();
                if (truncate) {
                    byte[] part = new byte[(int) room];
                    b.get(part);
                    out.writeBytes(part);
                    result.complete(out.toByteArray());
                } else {
                    result.completeExceptionally(new TooLargeException(limit));
                }
                return;
            }
            byte[] bytes = new byte[n];
            b.get(bytes);
            out.writeBytes(bytes);
        }
    }

    @Override
    public void onError(Throwable t) {
        if (!done) {
            done = true;
            result.completeExceptionally(t);
        }
    }

    @Override
    public void onComplete() {
        if (!done) {
            done = true;
            result.complete(out.toByteArray());
        }
    }
}
