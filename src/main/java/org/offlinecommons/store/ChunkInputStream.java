package org.offlinecommons.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Reads a stored file, or a byte range of it, one chunk at a time: memory stays at one chunk
 * however large the file, and no database connection is held between reads.
 */
final class ChunkInputStream extends InputStream {

    private final ChunkStore store;
    private final List<ChunkRef> chunks;
    private int chunkIndex;
    private byte[] current;
    private int pos;
    private long remaining;

    ChunkInputStream(ChunkStore store, FileRecipe recipe, long offset, long length) {
        this.store = store;
        this.chunks = recipe.chunks();
        this.remaining = length;
        long skip = offset;
        int i = 0;
        while (i < chunks.size() && skip >= chunks.get(i).size()) {
            skip -= chunks.get(i).size();
            i++;
        }
        this.chunkIndex = i;
        this.pos = (int) skip;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (current == null || pos >= current.length) {
            if (current != null) {
                chunkIndex++;
                pos = 0;
            }
            if (chunkIndex >= chunks.size()) {
                throw new IOException("stored file ends early: chunk " + chunkIndex + " of " + chunks.size());
            }
            ChunkRef ref = chunks.get(chunkIndex);
            current = store.readChunk(ref.hash())
                    .orElseThrow(() -> new IOException("chunk " + ref.hash() + " is missing from the library"));
        }
        int n = (int) Math.min(Math.min(len, current.length - pos), remaining);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        remaining -= n;
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : (int) Math.min(current.length - pos, remaining);
    }
}
