package org.offlinecommons.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file of a few megabytes the server keeps in the data folder while the disk has room, and
 * gives back when another program has filled the disk. SQLite needs some free space to open a
 * library for writing (its shared-memory file) and to delete a pack (its write-ahead log); with
 * this space given back, the admin can still delete packs to make room.
 */
public final class SpareSpace {

    static final String FILE_NAME = "spare-space";
    static final long BYTES = 16L << 20;
    /** Below this the disk counts as full; the spare is then released at the next open. */
    static final long FULL_BELOW = 1L << 20;

    private SpareSpace() {
    }

    /**
     * Writes the spare file if it is missing and the disk has room for it and more (twice
     * its size). Real bytes, not a sparse file: a sparse one would reserve nothing.
     */
    public static void keep(Path dataDir) {
        Path spare = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(spare) || usable(dataDir) < 2 * BYTES) {
                return;
            }
            Path part = dataDir.resolve(FILE_NAME + ".part");
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
                byte[] block = new byte[1 << 20];
                for (long written = 0; written < BYTES; written += block.length) {
                    out.write(block);
                }
            }
            Files.move(part, spare, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Only a precaution: the library works without it.
            try {
                Files.deleteIfExists(dataDir.resolve(FILE_NAME + ".part"));
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    /** Deletes the spare file when the disk is full; true when it did. */
    static boolean releaseIfDiskFull(Path dataDir) {
        Path spare = dataDir.resolve(FILE_NAME);
        try {
            return Files.exists(spare) && usable(dataDir) < FULL_BELOW && Files.deleteIfExists(spare);
        } catch (IOException e) {
            return false;
        }
    }

    private static long usable(Path dir) throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }
}
