package org.offlinecommons.store;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import java.util.Arrays;

/**
 * Compresses chunks where that pays and restores their raw bytes. zstd at level 3 was chosen
 * over the JDK's Deflater by measurement (docs/performance.md, "Storage"): as small within a few
 * per cent on HTML, several times faster to compress and to read back.
 */
final class ChunkCodec {

    private static final int LEVEL = 3;
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

    static byte[] compress(byte[] raw, int level) {
        return CONTEXT.get().setLevel(level).compress(raw);
    }

    /** A chunk ready to store: its encoding and the bytes for the data column. */
    record Encoded(ChunkEncoding encoding, byte[] data) {
    }

    /**
     * Compressed when that saves more than a tenth, raw otherwise. A large chunk is probed
     * first, so that video and images (compressed already) cost a slice's work, not a chunk's.
     */
    static Encoded encode(byte[] raw) {
        if (raw.length < MIN_BYTES) {
            return new Encoded(ChunkEncoding.IDENTITY, raw);
        }
        if (raw.length > 2 * PROBE_BYTES) {
            int from = raw.length / 2 - PROBE_BYTES / 2;
            byte[] probe = compress(Arrays.copyOfRange(raw, from, from + PROBE_BYTES), 1);
            if (!worthIt(probe.length, PROBE_BYTES)) {
                return new Encoded(ChunkEncoding.IDENTITY, raw);
            }
        }
        byte[] packed = compress(raw, LEVEL);
        return worthIt(packed.length, raw.length)
                ? new Encoded(ChunkEncoding.ZSTD, packed)
                : new Encoded(ChunkEncoding.IDENTITY, raw);
    }

    private static boolean worthIt(int packed, int raw) {
        return packed < raw - raw / 10;
    }

    /**
     * The raw bytes of a stored chunk of {@code size} bytes. Stored bytes that do not decode to
     * that size (a damaged library) are returned as they are: every reader that must trust a
     * chunk checks its hash, which then fails, as it would for a damaged raw chunk.
     */
    static byte[] decode(ChunkEncoding encoding, byte[] stored, long size) {
        if (encoding == ChunkEncoding.IDENTITY) {
            return stored;
        }
        try {
            if (Zstd.getFrameContentSize(stored) != size || size > ChunkStore.CHUNK_SIZE) {
                return stored;
            }
            byte[] raw = Zstd.decompress(stored, (int) size);
            return raw.length == size ? raw : stored;
        } catch (ZstdException | IllegalArgumentException e) {
            return stored;
        }
    }
}
