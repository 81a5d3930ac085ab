package org.offlinecommons.store;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs library writes on a thread of their own, in the order they were handed over, so that
 * whoever produces them (an import inflating, hashing and reading documents) keeps the other
 * core busy meanwhile: on two cores that overlaps SQLite's inserts and index building with
 * the reading. At most {@code depth} writes wait at a time, which bounds the memory they hold.
 *
 * <p>A failed write is reported to the producer at its next {@link #submit} or at
 * {@link #finish}; later writes are skipped. {@link #close} waits for the write in progress, so
 * that nothing is written after the caller has cleaned up.
 */
public final class WriteBehind implements AutoCloseable {

    private final ExecutorService thread;
    private final Semaphore room;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    /** Run on the writer thread before each write: may refuse it (a disk about to fill up). */
    private volatile Runnable guard = () -> { };
    /** Null: the writer connection checkpoints by itself, as usual. */
    private final WalCheckpoints checkpoints;

    public WriteBehind(String name, int depth) {
        this(name, depth, (WalCheckpoints) null);
    }

    /** With {@code db}: the WAL is checkpointed beside the writes (see {@link WalCheckpoints}). */
    WriteBehind(String name, int depth, Database db) {
        this(name, depth, db == null ? null : new WalCheckpoints(db, name + "-checkpoints"));
    }

    WriteBehind(String name, int depth, WalCheckpoints checkpoints) {
        this.checkpoints = checkpoints;
        this.room = new Semaphore(depth);
        this.thread = Executors.newSingleThreadExecutor(DaemonThreads.named(name));
    }

    /**
     * Runs {@code check} before each write, on the writer thread: what it throws fails the write
     * like a write's own failure. Checks at the last moment see what the writes queued before used.
     */
    public WriteBehind guardedBy(Runnable check) {
        this.guard = check;
        return this;
    }

    /** Hands {@code write} over; blocks while {@code depth} writes are waiting. */
    public void submit(Runnable write) {
        rethrow();
        try {
            room.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting to write to the library", e);
        }
        thread.execute(() -> {
            try {
                if (failure.get() == null) {
                    if (checkpoints != null) {
                        checkpoints.awaitRoom();
                    }
                    guard.run();
                    write.run();
                    if (checkpoints != null) {
                        checkpoints.committed();
                    }
                }
            } catch (InterruptedException e) {
                failure.compareAndSet(null, new StoreException("Interrupted while writing to the library", e));
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e instanceof RuntimeException r ? r
                        : new StoreException("Library write failed: " + e, e));
            } finally {
                room.release();
            }
        });
    }

    /** Waits until every write handed over is done; throws the first failure. */
    public void finish() {
        Semaphore done = new Semaphore(0);
        thread.execute(done::release);
        try {
            done.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting for library writes", e);
        }
        rethrow();
    }

    private void rethrow() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    @Override
    public void close() {
        failure.compareAndSet(null, new StoreException("Closed", null)); // skip what has not started
        thread.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (thread.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (checkpoints != null) {
            checkpoints.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
