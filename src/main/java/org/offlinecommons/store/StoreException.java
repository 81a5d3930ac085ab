package org.offlinecommons.store;

/** The library's storage failed (disk, database); not the caller's input. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
