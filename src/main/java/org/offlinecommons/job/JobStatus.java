package org.offlinecommons.job;

/**
 * A moment's view of a job, for pages and the API. {@code rateBytesPerSecond} and
 * {@code secondsLeft} are -1 while unknown. {@code title} and {@code message} are in English (the
 * log, the command line, the API); {@code titleText} and {@code messageText} keep them as message
 * keys with arguments, which pages say in each visitor's language.
 */
public record JobStatus(String id, String kind, String title, JobState state, long doneBytes, long totalBytes,
                        double rateBytesPerSecond, long secondsLeft, String message, String error,
                        long startedAt, long finishedAt, JobText titleText, JobText messageText) {

    public int percent() {
        if (state == JobState.SUCCEEDED) {
            return 100;
        }
        return totalBytes <= 0 ? 0 : (int) Math.min(100, doneBytes * 100 / totalBytes);
    }
}
