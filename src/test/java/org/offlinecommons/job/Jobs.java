package org.offlinecommons.job;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** The one way tests wait for a job: until it ends, never by polling. */
public final class Jobs {

    /** Long enough for a loaded shared machine; a job that takes this long is a failure anyway. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Jobs() {
    }

    /** The job's final state; fails the test if it is unknown or still running after {@link #TIMEOUT}. */
    public static JobStatus await(JobRunner jobs, String id) throws InterruptedException {
        try {
            return jobs.await(id, TIMEOUT).orElseThrow(() -> new AssertionError("There is no job " + id));
        } catch (TimeoutException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
