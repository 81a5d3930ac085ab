package org.offlinecommons.sync;

/**
 * A sync could not be done, or a peer was refused. The message names the peer (and the file
 * of its tree) and says what to do.
 */
public class SyncException extends RuntimeException {

    /** Why, so that each interface can answer in its own terms (exit code, HTTP status). */
    public enum Reason {
        /** What we were asked to do makes no sense (a malformed URL, an unknown pack). */
        BAD_REQUEST,
        /** The peer sent something malformed, inconsistent or unsafe. */
        INVALID_PEER,
        /** The peer could not be reached, stopped answering, or answered with an error. */
        UNREACHABLE,
        /** Not enough disk space here. */
        NO_SPACE,
        /** This server does not take the request (pull requests switched off, wrong origin). */
        REFUSED,
        /** Something else changed the same pack meanwhile, or one request is already running. */
        CONFLICT
    }

    private final Reason reason;

    public SyncException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SyncException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
