package org.offlinecommons.pack;

/**
 * A pack was refused or an operation on one could not be done. The message names the file
 * (and zip entry) and the problem in words an admin can act on.
 */
public class PackException extends RuntimeException {

    /** Why, so that each interface can answer in its own terms (exit code, HTTP status). */
    public enum Reason {
        /** The pack itself is malformed or unsafe. */
        INVALID,
        /** The pack does not fit the library: older version, or same version with other content. */
        CONFLICT,
        /** No such pack or file. */
        NOT_FOUND,
        /** Not enough disk space. */
        NO_SPACE,
        /** Reading or writing a file failed. */
        IO
    }

    private final Reason reason;

    public PackException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PackException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public static PackException invalid(String message) {
        return new PackException(Reason.INVALID, message);
    }

    public Reason reason() {
        return reason;
    }
}
