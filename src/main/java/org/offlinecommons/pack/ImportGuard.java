package org.offlinecommons.pack;

import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.StoreException;
import org.slf4j.LoggerFactory;

/**
 * What every import (a zip pack or a ZIM) keeps around its staging: the id its chunks are stored
 * under, a watch on the free space while it runs, and the removal of what it stored if it fails.
 * Another program may fill the disk meanwhile, and an import that runs the disk dry leaves SQLite
 * unable even to clean up.
 */
final class ImportGuard {

    private final Library library;
    private final long reserveBytes;
    private final String name;
    private final long stagedBy = ChunkStore.newStagingId();
    private long sinceCheck = Long.MAX_VALUE / 2;
    private volatile String current = "";

    ImportGuard(Library library, long reserveBytes, String name) {
        this.library = library;
        this.reserveBytes = reserveBytes;
        this.name = name;
    }

    /** The id this import's chunks and recipes are staged under, until it publishes. */
    long stagedBy() {
        return stagedBy;
    }

    /** On the reading thread, as bytes are read: stops reading once the disk is nearly full. */
    void staged(long bytes, String path) {
        current = path;
        sinceCheck += bytes;
        if (sinceCheck < (1L << 20)) {
            return;
        }
        sinceCheck = 0;
        check(current);
    }

    /** On the writer thread, before each write of up to a batch: the last moment to stop. */
    void beforeWrite() {
        check(current);
    }

    private void check(String path) {
        long usable = DiskReserve.usableBytes(library.dataDir());
        if (usable >= 0 && usable < reserveBytes + ChunkStore.STAGING_HEADROOM) {
            throw new PackException(PackException.Reason.NO_SPACE, name + ": the disk holding "
                    + library.dataDir() + " is full (" + Sizes.human(usable) + " free, " + Sizes.human(reserveBytes)
                    + " kept in reserve) while storing '" + path + "'; nothing was imported and what was"
                    + " stored is removed; free some space or delete packs");
        }
    }

    /** A write that failed: for lack of disk, said so and naming the file, else as it was. */
    RuntimeException full(StoreException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("SQLITE_FULL") || m.contains("disk is full") || m.contains("No space left")) {
            return new PackException(PackException.Reason.NO_SPACE, name + ": the disk holding "
                    + library.dataDir() + " is full while storing '" + current + "'; nothing was imported and"
                    + " what was stored is removed; free some space or delete packs", e);
        }
        return e;
    }

    /** Truncates the WAL an import grew, and gives back the pages of a version it replaced. */
    void reclaimSpace() {
        try {
            library.reclaimSpace();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ImportGuard.class).warn(
                    "Could not give free space back to the disk after an import: {}", e.getMessage());
        }
    }

    /** Removes what a failed import staged, at once; never hides the failure itself. */
    void discard() {
        try {
            library.discardStaged(stagedBy);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ImportGuard.class).warn(
                    "Could not remove what a failed import stored (a later sweep will): {}", e.getMessage());
        }
    }
}
