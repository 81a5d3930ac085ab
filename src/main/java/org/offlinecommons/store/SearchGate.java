package org.offlinecommons.store;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Admission to full-text search, so that a flood of searches can never hold all of the server's
 * request threads or all of the database's readers: pages and pack files keep theirs.
 *
 * <p>At most {@code running} searches compute at once; at most {@code waiting} more wait for
 * their turn, each for a bounded time; any further search is refused at once with
 * {@link SearchBusyException}. The bound on waiters matters as much as the one on runners: a
 * request thread parked in a long queue here is a thread no page can use.
 */
public final class SearchGate {

    /** What a refused client is told to wait before asking again. */
    public static final int RETRY_AFTER_SECONDS = 1;
    /** Long enough for the searches ahead to finish (a fresh one takes milliseconds), short enough to shed a flood. */
    static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(1);

    private final int runningCapacity;
    private final int admittedCapacity;
    /** Searches running or waiting to run. */
    private final Semaphore admitted;
    private final Semaphore running;
    private final long maxWaitNanos;

    public SearchGate(int running, int waiting, Duration maxWait) {
        if (running < 1 || waiting < 0 || maxWait.isNegative()) {
            throw new IllegalArgumentException("A search gate needs at least one runner and no negative bounds");
        }
        this.runningCapacity = running;
        this.admittedCapacity = running + waiting;
        this.admitted = new Semaphore(admittedCapacity);
        // Fair: the searches that waited longest run first, so a waiter is not overtaken until it times out.
        this.running = new Semaphore(running, true);
        this.maxWaitNanos = maxWait.toNanos();
    }

    /**
     * For a database with {@code readers} pooled readers: one reader is always left to pages, and
     * no more searches run than there are cores (FTS5 is pure CPU once its pages are cached; more
     * at once only wait in the scheduler while holding a reader and SQLite's working memory).
     */
    public static SearchGate forReaders(int readers) {
        int cores = Runtime.getRuntime().availableProcessors();
        int running = Math.max(1, Math.min(cores, readers - 1));
        return new SearchGate(running, 2 * running, DEFAULT_MAX_WAIT);
    }

    /**
     * Runs {@code search} when its turn comes; its permits are given back however it ends.
     *
     * @throws SearchBusyException when too many searches run or wait already, or the wait ran out
     */
    public <T> T run(Supplier<T> search) {
        if (!admitted.tryAcquire()) {
            throw new SearchBusyException();
        }
        try {
            if (!running.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
                throw new SearchBusyException();
            }
            try {
                return search.get();
            } finally {
                running.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SearchBusyException();
        } finally {
            admitted.release();
        }
    }

    /** How many searches may run at once. */
    public int runningCapacity() {
        return runningCapacity;
    }

    /** How many searches may run or wait at once; one more is refused. */
    public int capacity() {
        return admittedCapacity;
    }

    /** How many more searches would be admitted now (running or waiting). */
    public int available() {
        return admitted.availablePermits();
    }
}
