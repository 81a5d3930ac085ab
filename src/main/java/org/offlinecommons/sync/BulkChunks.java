package org.offlinecommons.sync;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.offlinecommons.store.ChunkRef;

/**
 * Reads the answer to a bulk chunk request as it arrives: for each chunk asked for, in order,
 * a 4-byte big-endian length and that many bytes ({@link SyncTree#NOT_STORED} for a chunk the
 * peer does not have). Never buffers more than the chunks asked for: a length other than the
 * one the manifest lists stops the reading there (the rest of a lying answer is never read).
 *
 * <p>Chunks are collected unverified; {@link #received} also gives what arrived before a
 * failure or a timeout, so that a broken answer still saves what came whole.
 */
final class BulkChunks implements HttpResponse.BodySubscriber<List<byte[]>> {

    private final List<ChunkRef> asked;
    private final AtomicLong receivedBytes;
    /** Whole chunks so far, in order; null for a chunk the peer says it does not have. */
    private final List<byte[]> frames = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<List<byte[]>> result = new CompletableFuture<>();
    private final byte[] header = new byte[4];
    private int headerFill;
    private byte[] body;
    private int bodyFill;
    private Flow.Subscription subscription;
    private boolean done;

    BulkChunks(List<ChunkRef> asked, AtomicLong receivedBytes) {
        this.asked = asked;
        this.receivedBytes = receivedBytes;
    }

    /** The whole chunks received so far, in the order asked for. */
    List<byte[]> received() {
        synchronized (frames) {
            return new ArrayList<>(frames);
        }
    }

    @Override
    public CompletionStage<List<byte[]>> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
            receivedBytes.addAndGet(b.remaining());
            while (!done && b.hasRemaining()) {
                read(b);
            }
        }
    }

    private void read(ByteBuffer b) {
        if (frames.size() == asked.size()) {
            stop(); // more than was asked for: ignored
            return;
        }
        if (body == null) {
            int n = Math.min(4 - headerFill, b.remaining());
            b.get(header, headerFill, n);
            headerFill += n;
            if (headerFill < 4) {
                return;
            }
            headerFill = 0;
            int length = ByteBuffer.wrap(header).getInt();
            if (length == SyncTree.NOT_STORED) {
                frames.add(null);
                return;
            }
            if (length != asked.get(frames.size()).size()) {
                stop(); // a length the manifest does not list: nothing after it can be trusted
                return;
            }
            body = new byte[length];
            bodyFill = 0;
        }
        int n = Math.min(body.length - bodyFill, b.remaining());
        b.get(body, bodyFill, n);
        bodyFill += n;
        if (bodyFill == body.length) {
            frames.add(body);
            body = null;
        }
    }

    private void stop() {
        done = true;
        subscription.cancel();
        result.complete(received());
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
            result.complete(received());
        }
    }
}
