package org.offlinecommons.store;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compresses the chunks of one import or pull. Small pages compressed one by one repeat each
 * other's markup and words, so the first small chunks that compress train a zstd dictionary for
 * the rest: on 50,000 small pages it took their chunks from 55 % to 32 % of the raw bytes
 * (docs/performance.md, "Storage"). A dictionary is kept only when it pays for itself on its
 * samples alone. Safe to use from several threads.
 */
public final class ChunkCompressor {

    /** Samples to train on: a few hundred already give nearly all of the gain. */
    static final int SAMPLES = 1000;
    /** At most this many bytes of samples are held, whatever the chunks' sizes. */
    static final int SAMPLE_BYTES = 4 << 20;
    static final int MAX_SAMPLE_BYTES = 64 << 10;
    /** 112 KiB (zstd's default) gained 1 % more than this on small pages. */
    static final int DICTIONARY_BYTES = 64 << 10;

    private final ChunkDictionaries dictionaries;
    private final long stagedBy;
    private volatile ChunkDictionaries.Dictionary dictionary;
    /** Held until training; null once it was tried. */
    private List<byte[]> samples = new ArrayList<>();
    private long sampleBytes;
    private long samplesPacked;

    ChunkCompressor(ChunkDictionaries dictionaries, long stagedBy) {
        this.dictionaries = dictionaries;
        this.stagedBy = stagedBy;
    }

    /** The import or pull whose chunks these are ({@link ChunkStore#newStagingId}). */
    long stagedBy() {
        return stagedBy;
    }

    ChunkCodec.Encoded encode(byte[] raw) {
        ChunkDictionaries.Dictionary d = dictionary;
        ChunkCodec.Encoded encoded = ChunkCodec.encode(raw, d);
        if (d == null && encoded.encoding() == ChunkEncoding.ZSTD && raw.length <= MAX_SAMPLE_BYTES) {
            offer(raw, encoded.data().length);
        }
        return encoded;
    }

    /** The dictionary's id once one is in use, for tests. */
    java.util.OptionalLong dictionaryId() {
        ChunkDictionaries.Dictionary d = dictionary;
        return d == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(d.id());
    }

    private synchronized void offer(byte[] raw, int packed) {
        if (samples == null) {
            return;
        }
        samples.add(raw);
        sampleBytes += raw.length;
        samplesPacked += packed;
        if (samples.size() >= SAMPLES || sampleBytes >= SAMPLE_BYTES) {
            byte[][] taken = samples.toArray(byte[][]::new);
            samples = null;
            train(taken);
        }
    }

    private void train(byte[][] taken) {
        byte[] buffer = new byte[DICTIONARY_BYTES];
        long size;
        try {
            size = Zstd.trainFromBuffer(taken, buffer);
        } catch (ZstdException e) {
            return;
        }
        if (Zstd.isError(size) || size <= 0) {
            return;
        }
        byte[] trained = Arrays.copyOf(buffer, (int) size);
        com.github.luben.zstd.ZstdDictCompress compression =
                new com.github.luben.zstd.ZstdDictCompress(trained, ChunkCodec.LEVEL);
        long packed = 0;
        for (byte[] sample : taken) {
            packed += ChunkCodec.compress(sample, compression).length;
        }
        // Stored twice (ChunkDictionaries): it must save more than that on its samples alone.
        if (samplesPacked - packed < 2L * trained.length) {
            return;
        }
        dictionary = dictionaries.add(trained, compression, stagedBy).orElse(null);
    }
}
