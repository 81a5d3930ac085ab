package org.offlinecommons.store;

/**
 * Hears how far a long piece of work (import, export, verify, sync) has come, in bytes.
 * Called often from the working thread: implementations must be cheap and thread-safe.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    void update(long doneBytes, long totalBytes);
}
