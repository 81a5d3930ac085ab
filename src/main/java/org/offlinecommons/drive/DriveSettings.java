package org.offlinecommons.drive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.pack.PackLimits;

/**
 * Where to look for packs and how careful to be.
 *
 * @param inbox       a folder of the server's own where packs can be dropped (DATA/inbox)
 * @param mountRoots  where removable drives appear
 * @param reserveBytes disk space every import leaves free, so the server keeps working
 * @param settle      how long a pack file's size and modification time must stay the same
 *                    before it is read: a stick still being copied to is never read half-written
 * @param limits      what a pack may claim
 */
public record DriveSettings(Path inbox, List<MountRoot> mountRoots, long reserveBytes, Duration settle,
                            PackLimits limits) {

    /**
     * FAT keeps modification times to 2 seconds, and some copiers set a file's full size before
     * writing it, so only a time spanning more than two of FAT's ticks shows a copy has ended.
     */
    public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(5);

    public DriveSettings {
        mountRoots = List.copyOf(mountRoots);
        if (reserveBytes < 0 || settle.isNegative()) {
            throw new IllegalArgumentException("The reserve and the settle time cannot be negative");
        }
    }

    /** The inbox in {@code dataDir}, Linux's usual mount roots, the default reserve. */
    public static DriveSettings of(Path dataDir) {
        return new DriveSettings(dataDir.resolve("inbox"), MountRoot.LINUX_DEFAULTS,
                PackImporter.DEFAULT_RESERVE_BYTES, DEFAULT_SETTLE, PackLimits.DEFAULT);
    }

    /** Drives are the folders directly in {@code roots} instead of the usual places; empty keeps those. */
    public DriveSettings withMountRoots(List<Path> roots) {
        if (roots == null || roots.isEmpty()) {
            return this;
        }
        return new DriveSettings(inbox, roots.stream().map(MountRoot::of).toList(), reserveBytes, settle, limits);
    }

    public DriveSettings withReserve(long bytes) {
        return new DriveSettings(inbox, mountRoots, bytes, settle, limits);
    }

    public DriveSettings withSettle(Duration duration) {
        return new DriveSettings(inbox, mountRoots, reserveBytes, duration, limits);
    }
}
