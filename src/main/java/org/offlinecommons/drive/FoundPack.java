package org.offlinecommons.drive;

import java.nio.file.Path;
import java.time.Instant;
import org.offlinecommons.pack.PackException;

/**
 * A pack zip found on a drive, and what it would do to the library.
 *
 * @param fileBytes        the zip's size
 * @param packId           null when the zip could not be read
 * @param version          0 when unknown
 * @param packBytes        the pack's unpacked size, what an import needs on disk
 * @param installedVersion the library's version of this pack, 0 when it has none
 * @param detail           a line for people: why it is invalid, or how it compares
 * @param refusal          why an import would be refused, or null when it would not be
 */
public record FoundPack(Path file, long fileBytes, Instant modified, PackState state, String packId, long version,
                        String title, long packBytes, long installedVersion, String detail,
                        PackException.Reason refusal) {

    public String fileName() {
        return file.getFileName().toString();
    }

    /** The exception an import of this pack would end in, for refusing it before starting. */
    PackException refusalException() {
        return new PackException(refusal == null ? PackException.Reason.INVALID : refusal, detail);
    }
}
