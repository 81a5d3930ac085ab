package org.offlinecommons.pack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one free-space rule: whatever brings packs in (import, upload, drive import, sync) leaves
 * this much of the library's disk free, so the server and its database keep working; health
 * reports the server unhealthy below it. Built once from {@code --reserve}.
 */
public record DiskReserve(long bytes) {

    /** What {@code --reserve} defaults to. */
    public static final DiskReserve DEFAULT = new DiskReserve(64L << 20);

    public DiskReserve {
        if (bytes < 0) {
            throw new IllegalArgumentException("The reserve cannot be negative");
        }
    }

    /** Free bytes on the disk that holds {@code path} (or its nearest existing parent), or -1 when unknown. */
    public static long usableBytes(Path path) {
        Path p = path.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        try {
            return Files.getFileStore(p == null ? path : p).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Whether {@code neededBytes} fit beside the reserve; unknown free space counts as enough (a full disk still fails cleanly, later). */
    public boolean fits(long neededBytes, long usableBytes) {
        return neededBytes == 0 || usableBytes < 0 || usableBytes >= neededBytes + bytes;
    }

    /**
     * Why {@code neededBytes} cannot be written to the disk holding {@code dir}, or empty when they fit.
     *
     * @param subject what needs the space, as the message starts: a file, a peer's pack
     * @param what    what the bytes are: "the pack", "the packs"
     */
    public Optional<String> shortfall(Path dir, String subject, String what, long neededBytes) {
        return shortfall(subject, what, neededBytes, usableBytes(dir));
    }

    /** As {@link #shortfall(Path, String, String, long)}, with the free space already known. */
    public Optional<String> shortfall(String subject, String what, long neededBytes, long usableBytes) {
        if (fits(neededBytes, usableBytes)) {
            return Optional.empty();
        }
        return Optional.of(subject + ": needs " + Sizes.human(neededBytes + bytes) + " of free disk space (" + what
                + " plus a reserve of " + Sizes.human(bytes) + "), but only " + Sizes.human(usableBytes)
                + " is free; free some space or delete packs");
    }

    /**
     * Refuses, before anything is written, bytes that would eat into the reserve.
     *
     * @throws PackException {@link PackException.Reason#NO_SPACE}, naming {@code subject}
     */
    public void check(Path dir, String subject, String what, long neededBytes) {
        check(subject, what, neededBytes, usableBytes(dir));
    }

    /** As {@link #check(Path, String, String, long)}, with the free space already known. */
    public void check(String subject, String what, long neededBytes, long usableBytes) {
        shortfall(subject, what, neededBytes, usableBytes).ifPresent(message -> {
            throw new PackException(PackException.Reason.NO_SPACE, message);
        });
    }
}
