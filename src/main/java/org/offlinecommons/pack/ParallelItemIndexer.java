package org.offlinecommons.pack;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.offlinecommons.store.DaemonThreads;
import org.offlinecommons.store.NewItem;

/**
 * Works out the items and search text of files ({@link ItemIndexer#items}: parsing HTML is most of a ZIM
 * import's CPU) on a small pool of threads, and hands them to {@link StreamedItems#addItems} in the order they
 * were given. At most {@link #MAX_PENDING} files and
 * {@link #MAX_PENDING_BYTES} of their content wait at once, and a file larger than {@link #MAX_POOLED_BYTES}
 * (whose parse tree is many times its size) is worked out alone, on the caller's thread: memory stays what
 * one file at a time needed, and does not grow with the pack.
 */
final class ParallelItemIndexer implements AutoCloseable {

    private static final int MAX_PENDING = 64;
    private static final long MAX_PENDING_BYTES = 8L << 20;
    private static final int MAX_POOLED_BYTES = 1 << 20;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final StreamedItems items;
    private final ExecutorService pool;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long pendingBytes;

    private record Pending(long fileSeq, String path, Future<List<NewItem>> made, long bytes) {
    }

    /** {@code threads}: the pool's size; 0 works every file out on the caller's thread. */
    ParallelItemIndexer(StreamedItems items, int threads) {
        this.items = items;
        if (threads <= 0) {
            this.pool = null;
        } else {
            int n = POOLS.incrementAndGet();
            this.pool = Executors.newFixedThreadPool(threads, DaemonThreads.numbered("item-indexer-" + n));
        }
    }

    /** One thread per core but one (the reading thread has work too), at least one, at most four. */
    static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * The item of file {@code f}, whose place in path order is {@code fileSeq}, with the file's content when
     * {@link StreamedItems#reads(PackManifest.ItemEntry, FileList.Entry)} asked for it (else null).
     */
    void add(long fileSeq, FileList.Entry f, PackManifest.ItemEntry item, byte[] bytes) {
        Future<List<NewItem>> made;
        long weight = bytes == null ? 0 : bytes.length;
        if (pool == null || bytes == null || bytes.length > MAX_POOLED_BYTES) {
            if (bytes != null) {
                finish();
            }
            made = CompletableFuture.completedFuture(ItemIndexer.items(item, f.file(), bytes));
            weight = 0;
        } else {
            made = pool.submit(() -> ItemIndexer.items(item, f.file(), bytes));
        }
        pending.add(new Pending(fileSeq, f.path(), made, weight));
        pendingBytes += weight;
        while (!pending.isEmpty() && (pending.peek().made().isDone() || pending.size() > MAX_PENDING
                || pendingBytes > MAX_PENDING_BYTES)) {
            handOver();
        }
    }

    /** Hands every item still pending to {@link StreamedItems}, waiting for it. */
    void finish() {
        while (!pending.isEmpty()) {
            handOver();
        }
    }

    private void handOver() {
        Pending p = pending.remove();
        pendingBytes -= p.bytes();
        List<NewItem> made;
        try {
            made = p.made().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while indexing " + p.path(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
        items.addItems(p.fileSeq(), p.path(), made);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        pending.clear();
    }
}
