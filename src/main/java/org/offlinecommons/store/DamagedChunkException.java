package org.offlinecommons.store;

/**
 * A stored chunk whose bytes no longer match its SHA-256 (or cannot be decoded): it is never handed
 * out. The damage is recorded ({@link ChunkStore#damaged()}) so that {@code repair} can fetch a
 * good copy.
 */
public final class DamagedChunkException extends StoreException {

    private final String hash;
    private final String where;

    public DamagedChunkException(String hash, String where) {
        super("Stored chunk " + hash + (where.isEmpty() ? "" : " (" + where + ")")
                + " is damaged: its bytes no longer match their SHA-256; run 'repair --from PEER'", null);
        this.hash = hash;
        this.where = where;
    }

    public String hash() {
        return hash;
    }

    /** A pack file that uses the chunk ("pack/path"), or empty when none does. */
    public String where() {
        return where;
    }
}
