package org.offlinecommons.store;

/**
 * A search refused because as many searches as the server allows are running or waiting (see
 * {@link SearchGate}): not a failure, the client may ask again in {@link SearchGate#RETRY_AFTER_SECONDS}.
 */
public final class SearchBusyException extends RuntimeException {
    public SearchBusyException() {
        super("Too many searches are running at once; try again in a second", null, false, false);
    }
}
