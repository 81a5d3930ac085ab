package org.offlinecommons.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
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
 *
 * <p>Web requests use {@link #submit}: their search waits in a queue, not on a request thread,
 * and runs on one of the gate's own threads. A refusal there is answered only after
 * {@link #RETRY_AFTER_SECONDS}: a client that asks again at once (a script, a flood) then costs
 * one request per second instead of a refusal spin that takes the CPU pages need.
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
    /** The gate's own threads for {@link #submit}; idle ones end, so an unused gate holds none. */
    private final ThreadPoolExecutor runners;
    /**
     * One thread answers every delayed refusal. Not {@code CompletableFuture.delayedExecutor}
     * without an executor: on a machine of two cores its default pool starts a new thread for
     * every task, so a flood of refused searches became hundreds of thread starts a second.
     */
    private final ScheduledThreadPoolExecutor refusals;
    /** Set while a gate thread runs a search, so that {@link #run} inside it takes no second turn. */
    private static final ThreadLocal<SearchGate> RUNNING_HERE = new ThreadLocal<>();

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
        this.runners = new ThreadPoolExecutor(running, running, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.numbered("search"));
        runners.allowCoreThreadTimeOut(true);
        this.refusals = new ScheduledThreadPoolExecutor(1, DaemonThreads.numbered("search-refusals"));
        refusals.setKeepAliveTime(30, TimeUnit.SECONDS);
        refusals.allowCoreThreadTimeOut(true);
    }

    /**
     * For a database with {@code readers} pooled readers: one reader is always left to pages, and
     * no more searches run than there are cores (FTS5 is pure CPU once its pages are cached; more
     * at once only wait in the scheduler while holding a reader and SQLite's working memory).
     */
    public static SearchGate forReaders(int readers) {
        int cores = Runtime.getRuntime().availableProcessors();
        int running = Math.max(1, Math.min(cores, readers - 1));
        // Waiters are many: a class searching at once should wait its turn, not be refused, and
        // web searches wait without a thread (submit).
        return new SearchGate(running, 16 * running, DEFAULT_MAX_WAIT);
    }

    /**
     * Runs {@code search} when its turn comes; its permits are given back however it ends.
     *
     * @throws SearchBusyException when too many searches run or wait already, or the wait ran out
     */
    public <T> T run(Supplier<T> search) {
        if (RUNNING_HERE.get() == this) {
            return search.get(); // already holds its turn: work submitted to this gate
        }
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

    /**
     * Runs {@code work} (a search, or a whole answer built around one) on one of the gate's
     * threads when its turn comes, without holding the caller's thread while it waits. The
     * future fails with {@link SearchBusyException} when the gate is full (after the retry
     * delay) or the wait ran out.
     */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        if (!admitted.tryAcquire()) {
            return refusedLater();
        }
        long since = System.nanoTime();
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            runners.execute(() -> runTurn(work, since, result));
        } catch (RejectedExecutionException e) {
            admitted.release();
            return refusedLater();
        }
        return result;
    }

    private <T> void runTurn(Supplier<T> work, long since, CompletableFuture<T> result) {
        T value = null;
        Throwable failure = null;
        try {
            long left = maxWaitNanos - (System.nanoTime() - since);
            if (!running.tryAcquire(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                failure = new SearchBusyException();
            } else {
                RUNNING_HERE.set(this);
                try {
                    value = work.get();
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    RUNNING_HERE.remove();
                    running.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new SearchBusyException();
        } finally {
            admitted.release();
        }
        // Completed only once the turn is given back, so whoever got the answer finds the gate free.
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(value);
        }
    }

    private <T> CompletableFuture<T> refusedLater() {
        CompletableFuture<T> refused = new CompletableFuture<>();
        refusals.schedule(() -> refused.completeExceptionally(new SearchBusyException()),
                RETRY_AFTER_SECONDS, TimeUnit.SECONDS);
        return refused;
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
