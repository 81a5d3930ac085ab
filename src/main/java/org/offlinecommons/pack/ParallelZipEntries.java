package org.offlinecommons.pack;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.zip.Deflater;
import org.offlinecommons.store.DaemonThreads;

/**
 * Adds entries to a {@link ZipStreamWriter} in order while a small pool reads and deflates the
 * small ones ahead: with thousands of small files, reading each from the library (or the disk) and
 * deflating it is most of a pack's export, and one core did all of it. Large files are written by
 * the calling thread, streamed, once those before them are written. Memory stays bounded: at most
 * {@link #MAX_AHEAD_FILES} files and {@link #MAX_AHEAD_BYTES} of them are read ahead.
 */
final class ParallelZipEntries implements AutoCloseable {

    /** Files up to this size are read whole and prepared ahead; larger ones are streamed. */
    static final int SMALL_FILE_BYTES = 1 << 20;
    private static final int MAX_AHEAD_FILES = 64;
    private static final long MAX_AHEAD_BYTES = 8L << 20;
    private static final int MAX_THREADS = 4;

    private record Pending(String name, long size, Future<PreparedEntry> prepared) {
    }

    private final ZipStreamWriter zip;
    private final LongConsumer progress;
    private final ExecutorService pool;
    private final ConcurrentLinkedQueue<Deflater> deflaters = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long pendingBytes;

    /** {@code progress} is told each entry's bytes as it is written. */
    ParallelZipEntries(ZipStreamWriter zip, LongConsumer progress) {
        this.zip = zip;
        this.progress = progress;
        int threads = Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
        this.pool = Executors.newFixedThreadPool(threads, DaemonThreads.numbered("zip-entries"));
    }

    /** Adds an entry of {@code size} bytes (negative: unknown, streamed). */
    void add(String name, boolean deflate, long size, ZipStreamWriter.Source source) throws IOException {
        if (size < 0 || size > SMALL_FILE_BYTES) {
            flush();
            zip.add(name, deflate, size, source, progress);
            return;
        }
        while (!pending.isEmpty() && (pending.size() >= MAX_AHEAD_FILES || pendingBytes + size > MAX_AHEAD_BYTES)) {
            writeOldest();
        }
        int small = (int) size;
        pending.add(new Pending(name, size, pool.submit(() -> prepare(name, deflate, small, source))));
        pendingBytes += size;
    }

    /** Writes every entry added so far. */
    void flush() throws IOException {
        while (!pending.isEmpty()) {
            writeOldest();
        }
    }

    private PreparedEntry prepare(String name, boolean deflate, int size, ZipStreamWriter.Source source)
            throws IOException {
        Deflater d = deflaters.poll();
        if (d == null) {
            d = new Deflater(6, true);
        }
        try {
            return PreparedEntry.of(name, deflate, size, source, d);
        } finally {
            deflaters.add(d);
        }
    }

    private void writeOldest() throws IOException {
        Pending p = pending.poll();
        pendingBytes -= p.size();
        PreparedEntry entry;
        try {
            entry = p.prepared().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing '" + p.name() + "'");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
        zip.add(p.name(), entry);
        progress.accept(p.size());
    }

    /** Stops the pool; entries not yet written are dropped (the zip is being abandoned). */
    @Override
    public void close() {
        for (Pending p : pending) {
            p.prepared().cancel(true);
        }
        pending.clear();
        pool.shutdownNow();
        try {
            // So no reader outlives the zip (and, for an export, the library it reads from).
            pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Deflater d;
        while ((d = deflaters.poll()) != null) {
            d.end();
        }
    }
}
