package org.offlinecommons.pack;

/**
 * How much a pack may claim. Every pack is untrusted, so these bound what one can make the
 * server read, inflate or store before it is refused.
 *
 * <p>Declared sizes are checked before anything is read; actual sizes are enforced while
 * reading (an entry that inflates to more than it declared is cut off and refused), so a zip
 * cannot lie its way past these limits.
 */
public record PackLimits(int maxEntries, long maxFileBytes, long maxTotalBytes, int maxRatio, long ratioFloorBytes,
                         long maxStreamedFiles) {

    /**
     * Generous for real content (a 4-hour video, 100,000 small pages; ten million files in a
     * format-2 pack, whose file list is streamed), small for bombs.
     */
    public static final PackLimits DEFAULT = new PackLimits(100_000, 64L << 30, 256L << 30, 200, 1L << 20,
            10_000_000);

    /** Limits whose format-2 packs may hold as many files as format 1 entries. */
    public PackLimits(int maxEntries, long maxFileBytes, long maxTotalBytes, int maxRatio, long ratioFloorBytes) {
        this(maxEntries, maxFileBytes, maxTotalBytes, maxRatio, ratioFloorBytes, maxEntries);
    }

    public PackLimits {
        if (maxStreamedFiles < 1) {
            throw new IllegalArgumentException("Inconsistent pack limits: " + maxStreamedFiles + " files");
        }
        if (maxEntries < 1 || maxFileBytes < 0 || maxTotalBytes < maxFileBytes || maxRatio < 1
                || ratioFloorBytes < 0) {
            throw new IllegalArgumentException("Inconsistent pack limits: " + maxEntries + " entries, "
                    + maxFileBytes + " bytes a file, " + maxTotalBytes + " in all, ratio " + maxRatio + ", floor "
                    + ratioFloorBytes);
        }
    }

    /**
     * Whether an entry's compression ratio is believable. Small entries are exempt: a few KB of
     * repeated text compresses far, and inflating it costs nothing.
     */
    public boolean ratioAllowed(long compressed, long uncompressed) {
        if (uncompressed <= ratioFloorBytes) {
            return true;
        }
        return compressed > 0 && uncompressed / compressed <= maxRatio;
    }
}
