package org.offlinecommons.job;

import org.offlinecommons.store.ProgressListener;

/**
 * A long piece of work (import, export, sync) that pages and the API can watch. The work
 * reports bytes through {@link #update} and may change its {@link #message} as it goes.
 */
public final class Job implements ProgressListener {

    private final String id;
    private final String kind;
    private final JobText title;
    private volatile JobState state = JobState.QUEUED;
    private volatile long done;
    private volatile long total;
    private volatile JobText message = JobText.english("");
    private volatile String error;
    private volatile long startedAt;
    private volatile long startedNanos;
    private volatile long finishedAt;
    private volatile Object detail;
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);

    Job(String id, String kind, JobText title) {
        this.id = id;
        this.kind = kind;
        this.title = title;
    }

    public String id() {
        return id;
    }

    @Override
    public void update(long doneBytes, long totalBytes) {
        this.done = doneBytes;
        this.total = totalBytes;
    }

    /** A line for people: what the job is doing now, or what it did. */
    public void message(String text) {
        this.message = JobText.english(text == null ? "" : text);
    }

    /** A line for people, kept as a message key so that each visitor reads it in their language. */
    public void message(JobText text) {
        this.message = text;
    }

    /**
     * What this kind of job can tell beyond bytes and a message (a sync's packs, an export's
     * files), kept with the job so that every page and API finds it by the job's id.
     */
    public void detail(Object value) {
        this.detail = value;
    }

    /** The detail, if one of this type was attached. */
    public <T> java.util.Optional<T> detail(Class<T> type) {
        Object d = detail;
        return type.isInstance(d) ? java.util.Optional.of(type.cast(d)) : java.util.Optional.empty();
    }

    void started() {
        startedAt = System.currentTimeMillis();
        startedNanos = System.nanoTime();
        state = JobState.RUNNING;
    }

    void succeeded(String result) {
        // A work that said its result with message(JobText) returns the same words in English.
        if (result != null && !result.equals(message.english())) {
            message = JobText.english(result);
        }
        finishedAt = System.currentTimeMillis();
        state = JobState.SUCCEEDED;
        finished.countDown();
    }

    void failed(String why) {
        error = why;
        finishedAt = System.currentTimeMillis();
        state = JobState.FAILED;
        finished.countDown();
    }

    /** Waits until the job succeeded or failed; false if {@code timeout} passed first. */
    boolean awaitFinished(java.time.Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public JobStatus status() {
        JobState s = state;
        long d = done;
        long t = total;
        double rate = -1;
        long left = -1;
        if (s == JobState.RUNNING && startedNanos != 0) {
            double seconds = (System.nanoTime() - startedNanos) / 1e9;
            if (seconds > 0.5 && d > 0) {
                rate = d / seconds;
                left = t > d ? Math.round((t - d) / rate) : 0;
            }
        }
        JobText said = message;
        return new JobStatus(id, kind, title.english(), s, d, t, rate, left, said.english(), error, startedAt,
                finishedAt, title, said);
    }
}
