package org.offlinecommons.store;

/**
 * Checkpoints the WAL on a thread of its own while a bulk writer goes on writing.
 *
 * <p>With SQLite's own checkpoints, the connection that commits past ~64 MiB of WAL copies it
 * into the database file and waits for two fsyncs before its next transaction: a 1 GiB import
 * wrote 2 GiB and spent ~6 of its ~8 s of chunk writing waiting for the disk, on the writer
 * thread that also builds the search index. Here those waits overlap with the next
 * transactions. The WAL stays bounded (~128-200 MiB where SQLite's own checkpoints keep it near
 * 64 MiB): SQLite rewinds it only in a write that begins after a checkpoint caught up, which a
 * busy writer never does by chance, so once it is large, or the writer is too far ahead of the
 * disk, the writer waits for that (see {@link #awaitRoom}): one short checkpoint per 128 MiB.
 */
final class WalCheckpoints implements AutoCloseable {

    /** Writes (~8 MiB each) the writer may be ahead of the disk: bounds the WAL near 128 MiB. */
    static final int MAX_WRITES_AHEAD = 16;
    /** WAL frames (64 KiB pages) past which the next write waits to rewind it: 128 MiB. */
    static final long REWIND_FRAMES = 2048;
    /**
     * What the WAL grows to between two rewinds when the checkpoints keep up: the rewind point
     * and the writes committed while the checkpoint that finds it past that point runs.
     */
    static final long USUAL_MAX_BYTES = REWIND_FRAMES * Database.PAGE_SIZE + (16L << 20);
    /**
     * A reader holding an old snapshot (another process with a long read open) can keep a
     * checkpoint from catching up; after waiting this long the writer goes on and checkpoints
     * are left to the writer connection again, as before this class.
     */
    private static final long MAX_WAIT_MS = 30_000;
    private static final long RETRY_MS = 20;

    private final int maxWritesAhead;
    private final long rewindFrames;
    private final Database db;
    private final Thread thread;
    private final Object lock = new Object();
    /** Writes committed so far, and how many of them the last checkpoint that caught up covers. */
    private long committed;
    private long covered;
    /** Frames in the WAL at the last checkpoint. */
    private long walFrames;
    private boolean stopped;
    private boolean closed;
    private RuntimeException failure;

    WalCheckpoints(Database db, String name) {
        this(db, name, MAX_WRITES_AHEAD, REWIND_FRAMES);
    }

    /** With other bounds, so that tests need not write hundreds of MiB. */
    WalCheckpoints(Database db, String name, int maxWritesAhead, long rewindFrames) {
        this.maxWritesAhead = maxWritesAhead;
        this.rewindFrames = rewindFrames;
        this.db = db;
        db.holdAutoCheckpoint(true);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Called after each write: the checkpointer has work. */
    void committed() {
        synchronized (lock) {
            committed++;
            lock.notifyAll();
        }
    }

    /**
     * Called before each write: waits while the writer is too far ahead of the disk, and, once
     * the WAL is large, until a checkpoint has caught up, so that this write starts it afresh
     * (SQLite rewinds the WAL only in a write that begins after a checkpoint that caught up).
     */
    void awaitRoom() throws InterruptedException {
        synchronized (lock) {
            long deadline = System.currentTimeMillis() + MAX_WAIT_MS;
            while (!stopped && failure == null && mustWait()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                lock.wait(left);
            }
            if (stopped || failure == null && !mustWait()) {
                if (walFrames >= rewindFrames) {
                    walFrames = 0;
                }
                return;
            }
        }
        close(); // stuck (or failed): the writer connection checkpoints by itself from now on
    }

    private boolean mustWait() {
        return committed - covered >= maxWritesAhead || (walFrames >= rewindFrames && covered < committed);
    }

    private void run() {
        while (true) {
            long upTo;
            synchronized (lock) {
                while (!stopped && committed == covered) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        stopped = true;
                    }
                }
                if (stopped) {
                    return;
                }
                upTo = committed;
            }
            boolean caughtUp;
            long lastFrames;
            try {
                long[] frames = db.checkpointAside();
                caughtUp = frames[0] <= frames[1];
                lastFrames = frames[0];
            } catch (RuntimeException e) {
                synchronized (lock) {
                    failure = e; // the writer stops waiting; the WAL is checkpointed at the next open
                    lock.notifyAll();
                }
                return;
            }
            synchronized (lock) {
                walFrames = lastFrames;
                if (caughtUp) {
                    covered = Math.max(covered, upTo);
                    lock.notifyAll();
                } else {
                    try {
                        lock.wait(RETRY_MS);
                    } catch (InterruptedException e) {
                        stopped = true;
                    }
                }
            }
        }
    }

    /** Stops checkpointing here; the writer connection checkpoints again by itself. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            stopped = true;
            lock.notifyAll();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        db.holdAutoCheckpoint(false);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
