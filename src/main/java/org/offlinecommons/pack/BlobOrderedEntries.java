package org.offlinecommons.pack;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * ZIM entry numbers sorted by the blob they point to (cluster, then blob), in bounded memory: a ZIM import
 * reads its articles' text while it decodes each cluster once, instead of in path order, which jumps between
 * clusters and decodes a cluster again for nearly every article. Up to {@link #RUN} entries are sorted in
 * memory; more are written as sorted runs of 12-byte records to temporary files and merged at the end.
 */
final class BlobOrderedEntries implements AutoCloseable {

    private static final int RUN = 1 << 18;

    private final Path tmpDir;
    private final long[] keys = new long[RUN];
    private final int[] entries = new int[RUN];
    private int size;
    private final List<Path> runs = new ArrayList<>();
    private final List<DataInputStream> open = new ArrayList<>();

    BlobOrderedEntries(Path tmpDir) {
        this.tmpDir = tmpDir;
    }

    /** Entry {@code entry}'s content is blob {@code blob} of cluster {@code cluster}. */
    void add(int cluster, int blob, int entry) throws IOException {
        if (size == RUN) {
            spill();
        }
        keys[size] = key(cluster, blob);
        entries[size] = entry;
        size++;
    }

    private static long key(int cluster, int blob) {
        return ((long) cluster << 32) | (blob & 0xffffffffL);
    }

    /** Sorts the records in memory by key (stable: entries of one blob stay in path order). */
    private int[] sortedOrder() {
        int[] order = new int[size];
        int[] tmp = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int width = 1; width < size; width *= 2) {
            for (int lo = 0; lo < size; lo += 2 * width) {
                int mid = Math.min(lo + width, size);
                int hi = Math.min(lo + 2 * width, size);
                int a = lo;
                int b = mid;
                int k = lo;
                while (a < mid && b < hi) {
                    tmp[k++] = keys[order[b]] < keys[order[a]] ? order[b++] : order[a++];
                }
                while (a < mid) {
                    tmp[k++] = order[a++];
                }
                while (b < hi) {
                    tmp[k++] = order[b++];
                }
            }
            int[] t = order;
            order = tmp;
            tmp = t;
        }
        return order;
    }

    private void spill() throws IOException {
        int[] order = sortedOrder();
        Path run = Files.createTempFile(tmpDir, "zim-import-", ".run");
        runs.add(run);
        try (DataOutputStream out = new DataOutputStream(
                new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
            for (int i : order) {
                out.writeLong(keys[i]);
                out.writeInt(entries[i]);
            }
        }
        size = 0;
    }

    /** Reads the records in order; call once, after the last {@link #add}. */
    Cursor sorted() throws IOException {
        if (runs.isEmpty()) {
            int[] order = sortedOrder();
            return new Cursor() {
                private int at;

                @Override
                long nextKey() {
                    return at < order.length ? keys[order[at]] : Long.MAX_VALUE;
                }

                @Override
                int take() {
                    return entries[order[at++]];
                }
            };
        }
        if (size > 0) {
            spill();
        }
        record Head(long key, int entry, int run) {
        }
        PriorityQueue<Head> heads = new PriorityQueue<>((x, y) -> x.key() != y.key()
                ? Long.compare(x.key(), y.key()) : Integer.compare(x.run(), y.run()));
        for (int r = 0; r < runs.size(); r++) {
            DataInputStream in = new DataInputStream(
                    new BufferedInputStream(Files.newInputStream(runs.get(r)), 1 << 16));
            open.add(in);
            heads.add(new Head(in.readLong(), in.readInt(), r));
        }
        return new Cursor() {
            @Override
            long nextKey() {
                return heads.isEmpty() ? Long.MAX_VALUE : heads.peek().key();
            }

            @Override
            int take() throws IOException {
                Head h = heads.remove();
                DataInputStream in = open.get(h.run());
                try {
                    long key = in.readLong();
                    heads.add(new Head(key, in.readInt(), h.run()));
                } catch (EOFException end) {
                    // this run is done
                }
                return h.entry();
            }
        };
    }

    /** The sorted records, one at a time. */
    abstract static class Cursor {
        abstract long nextKey();

        abstract int take() throws IOException;

        /** Whether the next record is an entry of blob {@code blob} of cluster {@code cluster}. */
        boolean at(int cluster, int blob) {
            return nextKey() == key(cluster, blob);
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (DataInputStream in : open) {
            try {
                in.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        for (Path run : runs) {
            Files.deleteIfExists(run);
        }
        if (first != null) {
            throw first;
        }
    }
}
