package org.offlinecommons.zim;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;

/**
 * One cluster: a byte of compression and offset width, then (compressed or not) a table of blob offsets
 * and the blobs themselves. The first offset is the table's own size, so it gives the blob count. Reads
 * stream: nothing here holds a cluster's table or data in memory (the {@link ClusterCache} may, within
 * its cap).
 *
 * @param index the cluster's number
 * @param start where its first byte is
 * @param end where the next cluster, table or the checksum starts: no read goes past it
 */
record Cluster(ZimSource source, int index, long start, long end, ClusterCompression compression, boolean extended,
    ZimLimits limits) {

  /** Reads the first byte of the cluster that spans {@code start..end}. */
  static Cluster at(ZimSource source, int index, long start, long end, ZimLimits limits) throws IOException {
    int info = source.u8(start, "cluster " + index);
    ClusterCompression compression = ClusterCompression.of(info);
    if (compression == null) {
      throw source.problem("cluster " + index + " uses " + ClusterCompression.describeUnsupported(info));
    }
    return new Cluster(source, index, start, end, compression, (info & ClusterCompression.INFO_EXTENDED) != 0,
        limits);
  }

  int offsetWidth() {
    return extended ? 8 : 4;
  }

  String name() {
    return "cluster " + index;
  }

  /** The cluster's content after its first byte, decompressed as it is read. Close it: zstd holds native memory. */
  InputStream data() throws IOException {
    InputStream raw = source.stream(start + 1, end);
    try {
      InputStream decoded = switch (compression) {
        case NONE -> raw;
        case XZ -> {
          raw.close();
          yield XzClusterStream.open(() -> source.stream(start + 1, end), limits.xzMemoryLimitKiB());
        }
        case ZSTD -> zstd(raw);
      };
      return new GuardedStream(decoded);
    } catch (IOException | RuntimeException e) {
      throw damaged(e);
    }
  }

  private InputStream zstd(InputStream raw) throws IOException {
    ZstdInputStreamNoFinalizer decoder = new ZstdInputStreamNoFinalizer(raw);
    try {
      return decoder.setLongMax(limits.zstdWindowLogMax());
    } catch (IOException | RuntimeException e) {
      decoder.close();
      throw e;
    }
  }

  ZimFormatException damaged(Throwable e) {
    if (e instanceof ZimFormatException z) {
      return z;
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new ZimFormatException(source.name() + ": " + name() + ": its " + compression.label
        + " data cannot be decoded (" + detail + ")", e);
  }

  /** Reads one blob offset from a stream positioned at it. */
  long readOffset(InputStream in, String what) throws IOException {
    byte[] b = new byte[offsetWidth()];
    readFully(in, b, what);
    long value = extended ? Bytes.u64(b, 0) : Bytes.u32(b, 0);
    if (value < 0) {
      throw source.problem(name() + ": " + what + " is out of range");
    }
    return value;
  }

  /**
   * Checks the first offset (the table's size) and returns the blob count it implies, as libzim does: aligned,
   * at least one blob or exactly none, and no more blobs than the file has entries.
   */
  long blobCount(long firstOffset, long entryCount) throws ZimFormatException {
    int w = offsetWidth();
    if (firstOffset % w != 0) {
      throw source.problem(name() + ": the offset of its first blob (" + firstOffset + ") is not a multiple of " + w);
    }
    if (firstOffset != w && firstOffset < 2L * w) {
      throw source.problem(name() + ": the offset of its first blob (" + firstOffset + ") is too small");
    }
    long count = firstOffset / w - 1;
    if (count > entryCount) {
      throw source.problem(name() + ": it claims " + count + " blobs, more than the file's " + entryCount + " entries");
    }
    if (compression == ClusterCompression.NONE && start + 1 + firstOffset > end) {
      throw source.problem(name() + ": its blob offset table runs past the end of the cluster");
    }
    return count;
  }

  /** Checks that blob {@code blob} spans {@code from..to} sensibly and within every limit. */
  void checkBlob(long blob, long from, long to, long tableSize) throws ZimFormatException {
    if (from < tableSize || to < from) {
      throw source.problem(name() + ": the offsets of blob " + blob + " are out of order (" + from + " then " + to
          + ")");
    }
    long size = to - from;
    if (size > limits.maxBlobBytes()) {
      throw source.problem(name() + ": blob " + blob + " claims " + size + " bytes, more than the limit of "
          + limits.maxBlobBytes());
    }
    long stored = end - start;
    if (compression == ClusterCompression.NONE) {
      if (start + 1 + to > end) {
        throw source.problem(name() + ": blob " + blob + " runs past the end of the cluster (it claims "
            + size + " bytes)");
      }
    } else if (to / limits.maxCompressionRatio() > stored) {
      throw source.problem(name() + ": blob " + blob + " ends " + to + " bytes into a cluster of " + stored
          + " stored bytes, beyond the limit of " + limits.maxCompressionRatio() + " times its size");
    }
  }

  /** Opens blob {@code blob}, streaming: an uncompressed blob is read in place, a compressed one decoded up to it. */
  BlobStream openBlob(long blob, long entryCount) throws IOException {
    int w = offsetWidth();
    if (compression == ClusterCompression.NONE) {
      long first = readOffsetAt(0);
      long count = blobCount(first, entryCount);
      checkIndex(blob, count);
      long from = readOffsetAt(blob);
      long to = readOffsetAt(blob + 1);
      checkBlob(blob, from, to, first);
      return new BlobStream(this, source.stream(start + 1 + from, start + 1 + to), to - from, blob);
    }
    InputStream in = data();
    try {
      long first = readOffset(in, "the offset of its first blob");
      long count = blobCount(first, entryCount);
      checkIndex(blob, count);
      skipFully(in, blob == 0 ? 0 : (blob - 1) * w, "the blob offset table");
      long from = blob == 0 ? first : readOffset(in, "the offset of blob " + blob);
      long to = readOffset(in, "the end of blob " + blob);
      checkBlob(blob, from, to, first);
      skipFully(in, from - (blob + 2) * w, "blob " + blob);
      return new BlobStream(this, in, to - from, blob);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private long readOffsetAt(long i) throws IOException {
    int w = offsetWidth();
    long at = start + 1 + i * w;
    String what = name() + "'s blob offset table";
    long value = extended ? source.u64(at, what) : source.u32(at, what);
    if (value < 0) {
      throw source.problem(name() + ": blob offset " + i + " is out of range");
    }
    return value;
  }

  void checkIndex(long blob, long count) throws ZimFormatException {
    if (blob < 0 || blob >= count) {
      throw source.problem(name() + " has " + count + " blobs, but an entry asks for blob " + blob);
    }
  }

  void readFully(InputStream in, byte[] b, String what) throws IOException {
    readFully(in, b, 0, b.length, what);
  }

  void readFully(InputStream in, byte[] b, int off, int len, String what) throws IOException {
    int done = 0;
    while (done < len) {
      int n = in.read(b, off + done, len - done);
      if (n < 0) {
        throw source.problem(name() + " ends before " + what);
      }
      done += n;
    }
  }

  void skipFully(InputStream in, long n, String what) throws IOException {
    if (n < 0) {
      throw source.problem(name() + ": " + what + " starts inside the blob offset table");
    }
    byte[] scratch = null;
    while (n > 0) {
      long skipped = in.skip(n);
      if (skipped <= 0) {
        if (scratch == null) {
          scratch = new byte[8192];
        }
        int r = in.read(scratch, 0, (int) Math.min(scratch.length, n));
        if (r < 0) {
          throw source.problem(name() + " ends before " + what);
        }
        skipped = r;
      }
      n -= skipped;
    }
  }

  /** A decoder's errors, whatever their type, become a {@link ZimFormatException} naming the cluster. */
  private final class GuardedStream extends InputStream {
    private final InputStream in;

    GuardedStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException | RuntimeException e) {
        throw damaged(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException | RuntimeException e) {
        throw damaged(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return in.skip(n);
      } catch (IOException | RuntimeException e) {
        throw damaged(e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } catch (RuntimeException e) {
        throw damaged(e);
      }
    }
  }
}
