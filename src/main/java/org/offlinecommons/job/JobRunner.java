package org.offlinecommons.job;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.offlinecommons.store.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs long work in the background and remembers the recent jobs. Two at a time: a small
 * server's disk and CPU are better spent finishing one import than interleaving many.
 */
public final class JobRunner implements AutoCloseable {

    /** The work of a job; returns a line saying what it did. */
    @FunctionalInterface
    public interface Work {
        String run(Job job) throws Exception;
    }

    /** Told when a job ends, for counters such as the server's metrics. */
    @FunctionalInterface
    public interface Listener {
        void finished(String kind, boolean succeeded);
    }

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final int KEEP = 200;
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService executor;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public JobRunner() {
        this(2);
    }

    public JobRunner(int threads) {
        this.executor = Executors.newFixedThreadPool(threads, DaemonThreads.named("job"));
    }

    public Job submit(String kind, String title, Work work) {
        return submit(kind, JobText.english(title), work);
    }

    /** As {@link #submit(String, String, Work)}, with a title each visitor reads in their language. */
    public Job submit(String kind, JobText title, Work work) {
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        Job job = new Job(HexFormat.of().formatHex(idBytes), kind, title);
        synchronized (jobs) {
            jobs.put(job.id(), job);
            while (jobs.size() > KEEP) {
                String oldest = jobs.keySet().iterator().next();
                if (!jobs.get(oldest).status().state().finished()) {
                    break;
                }
                jobs.remove(oldest);
            }
        }
        executor.execute(() -> {
            job.started();
            boolean succeeded = false;
            try {
                job.succeeded(work.run(job));
                succeeded = true;
                LOG.info("{} job {} ({}) finished: {}", kind, job.id(), title, job.status().message());
            } catch (Exception e) {
                job.failed(e.getMessage() == null ? e.toString() : e.getMessage());
                LOG.warn("{} job {} ({}) failed: {}", kind, job.id(), title, e.getMessage());
            }
            for (Listener listener : listeners) {
                try {
                    listener.finished(kind, succeeded);
                } catch (RuntimeException e) {
                    LOG.warn("Job listener failed: {}", e.toString());
                }
            }
        });
        return job;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public Optional<JobStatus> status(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id)).map(Job::status);
        }
    }

    /** The kind-specific detail the job with this id attached (see {@link Job#detail(Object)}). */
    public <T> Optional<T> detail(String id, Class<T> type) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id)).flatMap(j -> j.detail(type));
        }
    }

    /**
     * Waits for a job to end, for callers that have nothing else to do meanwhile (a command, a test).
     *
     * @return its final state, or empty for an unknown id
     * @throws java.util.concurrent.TimeoutException when it is still running after {@code timeout}
     */
    public Optional<JobStatus> await(String id, java.time.Duration timeout)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        Job job;
        synchronized (jobs) {
            job = jobs.get(id);
        }
        if (job == null) {
            return Optional.empty();
        }
        if (!job.awaitFinished(timeout)) {
            throw new java.util.concurrent.TimeoutException("Job " + id + " (" + job.status().title()
                    + ") is still running after " + timeout.toSeconds() + " s");
        }
        return Optional.of(job.status());
    }

    /** Recent jobs, newest first. */
    public List<JobStatus> recent() {
        List<JobStatus> out = new ArrayList<>();
        synchronized (jobs) {
            jobs.values().forEach(j -> out.add(0, j.status()));
        }
        return out;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
