package org.offlinecommons.admin;

import org.offlinecommons.pack.Sizes;

/** An upload is larger than the server accepts; nothing of it was kept. */
public final class UploadTooLargeException extends RuntimeException {

    private final long limit;

    public UploadTooLargeException(long limit) {
        super("The upload is larger than this server accepts (" + Sizes.human(limit) + "). Copy large packs with"
                + " a USB drive, or start the server with a larger --max-upload.");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
