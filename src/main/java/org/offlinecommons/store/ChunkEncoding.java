package org.offlinecommons.store;

/**
 * How a chunk's bytes are kept in the library. A chunk's hash and size are always those of its
 * raw bytes, whatever its encoding, so deduplication, sync and verification never see it.
 */
public enum ChunkEncoding {
    /** The raw bytes: media that is compressed already, and chunks too small to gain. */
    IDENTITY(0),
    /**
     * One zstd frame (RFC 8878) holding the raw bytes, with their size in its header: a valid
     * {@code Content-Encoding: zstd} body on its own, and the frames of a file's chunks in order
     * are a valid zstd stream of the whole file.
     */
    ZSTD(1),
    /**
     * One zstd frame compressed with a dictionary trained on the same import's small chunks
     * ({@link ChunkCompressor}); the frame's header names the dictionary (its Dictionary_ID),
     * kept in the library's {@code chunk_dictionary} table. Not a {@code Content-Encoding: zstd}
     * body: a client lacks the dictionary.
     */
    ZSTD_DICTIONARY(2);

    /** The value in the chunk table's {@code codec} column. */
    final int code;

    ChunkEncoding(int code) {
        this.code = code;
    }

    static ChunkEncoding of(int code) {
        for (ChunkEncoding e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        throw new StoreException("a chunk has an unknown encoding " + code
                + "; it was written by a newer Offline Commons", null);
    }
}
