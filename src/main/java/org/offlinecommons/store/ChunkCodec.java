package org.offlinecommons.store;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdException;
import java.util.Arrays;

/**
 * Compresses chunks where that pays and restores their raw bytes. zstd at level 3 was chosen
 * over the JDK's Deflater by measurement (docs/performance.md, "Storage"): as small within a few
 * per cent on HTML, several times faster to compress and to read back.
 */
final class ChunkCodec {

    static final int LEVEL = 3;
    /** Below this, a frame's header and the work cost more than they save. */
    private static final int MIN_BYTES = 256;
    /** A chunk larger than twice this is first judged by a slice of this size from its middle. */
    private static final int PROBE_BYTES = 64 * 1024;

    /**
     * One compression context per staging thread: {@code Zstd.compress} sets one up per call,
     * which cost more than compressing a small page.
     */
    private static final ThreadLocal<ZstdCompressCtx> CONTEXT = ThreadLocal.withInitial(
            () -> new ZstdCompressCtx().setContentSize(true).setChecksum(false));

    private ChunkCodec() {
    }

    /** A context per thread for compressing with a dictionary, which sets its level. */
    private static final ThreadLocal<ZstdCompressCtx> DICTIONARY_CONTEXT = ThreadLocal.withInitial(
            () -> new ZstdCompressCtx().setContentSize(true).setChecksum(false).setDictID(true));
    /** Larger chunks gain next to nothing from a dictionary and stay plain zstd frames. */
    static final int DICTIONARY_MAX_BYTES = 128 * 1024;

    static byte[] compress(byte[] raw, int level) {
        return CONTEXT.get().setLevel(level).compress(raw);
    }

    static byte[] compress(byte[] raw, ZstdDictCompress dictionary) {
        return DICTIONARY_CONTEXT.get().loadDict(dictionary).compress(raw);
    }

    /**
     * A chunk ready to store: its encoding, the bytes for the data column, and the CRC-32C of its
     * raw bytes, checked on every read ({@link ChunkStore#readChunk}).
     */
    record Encoded(ChunkEncoding encoding, byte[] data, int crc) {
    }

    /** CRC-32C of raw chunk bytes: the JDK's intrinsic runs at tens of GB/s, SHA-256 at ~0.5. */
    static int crc(byte[] raw) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(raw, 0, raw.length);
        return (int) c.getValue();
    }

    /**
     * Compressed when that saves more than a tenth, raw otherwise. A large chunk is probed
     * first, so that video and images (compressed already) cost a slice's work, not a chunk's.
     */
    static Encoded encode(byte[] raw) {
        return encode(raw, null);
    }

    /** As {@link #encode(byte[])}, with {@code dictionary} (if any) for chunks it suits. */
    static Encoded encode(byte[] raw, ChunkDictionaries.Dictionary dictionary) {
        int crc = crc(raw);
        if (raw.length < MIN_BYTES) {
            return new Encoded(ChunkEncoding.IDENTITY, raw, crc);
        }
        if (raw.length > 2 * PROBE_BYTES) {
            int from = raw.length / 2 - PROBE_BYTES / 2;
            byte[] probe = compress(Arrays.copyOfRange(raw, from, from + PROBE_BYTES), 1);
            if (!worthIt(probe.length, PROBE_BYTES)) {
                return new Encoded(ChunkEncoding.IDENTITY, raw, crc);
            }
        }
        if (dictionary != null && raw.length <= DICTIONARY_MAX_BYTES) {
            byte[] packed = compress(raw, dictionary.compression());
            return worthIt(packed.length, raw.length)
                    ? new Encoded(ChunkEncoding.ZSTD_DICTIONARY, packed, crc)
                    : new Encoded(ChunkEncoding.IDENTITY, raw, crc);
        }
        byte[] packed = compress(raw, LEVEL);
        return worthIt(packed.length, raw.length)
                ? new Encoded(ChunkEncoding.ZSTD, packed, crc)
                : new Encoded(ChunkEncoding.IDENTITY, raw, crc);
    }

    private static boolean worthIt(int packed, int raw) {
        return packed < raw - raw / 10;
    }

    /**
     * The raw bytes of a stored chunk of {@code size} bytes. Stored bytes that do not decode to
     * that size (a damaged library) are returned as they are: every reader that must trust a
     * chunk checks its hash, which then fails, as it would for a damaged raw chunk.
     */
    static byte[] decode(ChunkEncoding encoding, byte[] stored, long size, ChunkDictionaries dictionaries) {
        if (encoding == ChunkEncoding.IDENTITY) {
            return stored;
        }
        try {
            if (Zstd.getFrameContentSize(stored) != size || size > ChunkStore.CHUNK_SIZE) {
                return stored;
            }
            byte[] raw;
            if (encoding == ChunkEncoding.ZSTD_DICTIONARY) {
                // A missing or damaged dictionary leaves the chunk undecodable: damaged, like its bytes.
                ZstdDictDecompress dictionary = dictionaries.decoder(Zstd.getDictIdFromFrame(stored));
                if (dictionary == null) {
                    return stored;
                }
                raw = Zstd.decompress(stored, dictionary, (int) size);
            } else {
                raw = Zstd.decompress(stored, (int) size);
            }
            return raw.length == size ? raw : stored;
        } catch (ZstdException | IllegalArgumentException e) {
            return stored;
        }
    }
}
