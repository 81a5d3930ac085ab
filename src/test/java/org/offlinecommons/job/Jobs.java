package org.offlinecommons.job;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The one way tests wait: for a job, until it ends (never by polling); for anything else that
 * happens on another thread or process, until it holds, within {@link #TIMEOUT}.
 */
public final class Jobs {

    /** Long enough for a loaded shared machine; a job that takes this long is a failure anyway. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Jobs() {
    }

    /** The job's final state; fails the test if it is unknown or still running after {@link #TIMEOUT}. */
    public static JobStatus await(JobRunner jobs, String id) throws InterruptedException {
        return await(jobs, id, TIMEOUT);
    }

    /** As {@link #await(JobRunner, String)}, for a job whose work is big enough to need longer. */
    public static JobStatus await(JobRunner jobs, String id, Duration timeout) throws InterruptedException {
        try {
            return jobs.await(id, timeout).orElseThrow(() -> new AssertionError("There is no job " + id));
        } catch (TimeoutException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** What a test waits for; may throw, which fails the test at once. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Each job's final state, in order. */
    public static java.util.List<JobStatus> awaitAll(JobRunner jobs, java.util.List<String> ids)
            throws InterruptedException {
        java.util.List<JobStatus> out = new java.util.ArrayList<>();
        for (String id : ids) {
            out.add(await(jobs, id));
        }
        return out;
    }

    /** Until the job has started (its work runs now), for tests that look at a running job. */
    public static void awaitRunning(JobRunner jobs, String id) throws Exception {
        until("job " + id + " is running", () -> jobs.status(id).orElseThrow().state() != JobState.QUEUED);
    }

    /**
     * Until {@code condition} holds, for what no job tells the end of (another process's commit
     * becoming visible, a counter a listener bumps after its job ended); fails after {@link #TIMEOUT}.
     */
    public static void until(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Still not so after " + TIMEOUT.toSeconds() + " s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
