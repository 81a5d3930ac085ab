package org.offlinecommons.zim;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.LZMA2InputStream;
import org.tukaani.xz.SingleXZInputStream;

/**
 * An xz cluster decoded with a dictionary no bigger than it needs. libzim wrote xz at preset 9, which
 * declares a 64 MiB dictionary that the pure-Java decoder allocates on the heap, while a cluster (1-2 MiB)
 * never reaches that far back. So the first try reads the LZMA2 data of the stream's first block with a
 * dictionary of at most {@value #FIRST_TRY_DICT} bytes; if that fails (a longer reach back, another filter,
 * several blocks), the cluster is decoded again by the full xz decoder, within the memory limit, and
 * the bytes already delivered are skipped.
 */
final class XzClusterStream extends InputStream {
  static final int FIRST_TRY_DICT = 4 << 20;
  private static final byte[] MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
  private static final int STREAM_HEADER = 12;
  private static final int FILTER_LZMA2 = 0x21;

  /** How many clusters needed the full decoder, for tests and measurements. */
  static final java.util.concurrent.atomic.AtomicLong FALL_BACKS = new java.util.concurrent.atomic.AtomicLong();

  private final Supplier<InputStream> compressed;
  private final int memoryLimitKiB;
  private InputStream current;
  private FirstTry first;
  private boolean full;
  private boolean ended;
  private long position;

  /** The first try's decoder, what it reads from, and what is needed to find out whether another block follows. */
  private record FirstTry(LZMA2InputStream decoder, CountingStream in, int blockHeaderSize, int checkSize, int dict) {
  }

  private XzClusterStream(Supplier<InputStream> compressed, int memoryLimitKiB) {
    this.compressed = compressed;
    this.memoryLimitKiB = memoryLimitKiB;
  }

  /** {@code compressed} opens the cluster's bytes after its first byte, each time from the start. */
  static InputStream open(Supplier<InputStream> compressed, int memoryLimitKiB) throws IOException {
    XzClusterStream stream = new XzClusterStream(compressed, memoryLimitKiB);
    stream.first = firstTry(compressed.get());
    if (stream.first == null) {
      stream.openFull();
    } else {
      stream.current = stream.first.decoder();
    }
    return stream;
  }

  /** The raw LZMA2 data of the first block with a small dictionary, or null if the stream is not that simple. */
  private static FirstTry firstTry(InputStream raw) throws IOException {
    CountingStream in = new CountingStream(raw);
    byte[] header = in.readNBytes(STREAM_HEADER + 1);
    if (header.length < STREAM_HEADER + 1 || !java.util.Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
        || header[STREAM_HEADER] == 0) {
      in.close();
      return null;
    }
    int blockHeaderSize = ((header[STREAM_HEADER] & 0xff) + 1) * 4;
    byte[] block = in.readNBytes(blockHeaderSize - 1);
    if (block.length < blockHeaderSize - 1) {
      in.close();
      return null;
    }
    int flags = block[0] & 0xff;
    int[] at = {1};
    long uncompressed = -1;
    if ((flags & 0x03) != 0 || (flags & 0x3c) != 0) {
      in.close();
      return null;
    }
    if ((flags & 0x40) != 0) {
      varint(block, at);
    }
    if ((flags & 0x80) != 0) {
      uncompressed = varint(block, at);
    }
    long filter = varint(block, at);
    long propertiesSize = varint(block, at);
    if (filter != FILTER_LZMA2 || propertiesSize != 1 || at[0] >= block.length) {
      in.close();
      return null;
    }
    int code = block[at[0]] & 0xff;
    if (code > 40) {
      in.close();
      return null;
    }
    long declared = code == 40 ? 0xffffffffL : (2L | (code & 1)) << (code / 2 + 11);
    long dict = Math.min(declared, FIRST_TRY_DICT);
    if (uncompressed >= 0) {
      dict = Math.min(dict, uncompressed);
    }
    int size = (int) Math.max(dict, LZMA2InputStream.DICT_SIZE_MIN);
    int checkType = header[7] & 0x0f;
    int checkSize = checkType == 0 ? 0 : 4 << ((checkType - 1) / 3);
    in.count = 0;
    return new FirstTry(new LZMA2InputStream(in, size), in, blockHeaderSize, checkSize, size);
  }

  /**
   * Whether the xz stream goes on after the first block's LZMA2 data: skips the block padding and check,
   * and looks for another block header (the index starts with a zero byte instead).
   */
  private boolean anotherBlockFollows() throws IOException {
    CountingStream in = first.in();
    long padding = (4 - (first.blockHeaderSize() + in.count) % 4) % 4;
    in.skipNBytes(Math.min(padding + first.checkSize(), Long.MAX_VALUE));
    int next = in.read();
    return next > 0;
  }

  private static long varint(byte[] b, int[] at) {
    long value = 0;
    for (int shift = 0; shift < 63 && at[0] < b.length; shift += 7) {
      int x = b[at[0]++] & 0xff;
      value |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return value;
      }
    }
    return -1;
  }

  private void openFull() throws IOException {
    full = true;
    current = new SingleXZInputStream(compressed.get(), memoryLimitKiB, true, BasicArrayCache.getInstance());
  }

  /** The first try failed or ended: decode again from the start with the full decoder, up to where we were. */
  private void fallBack(InputStream failed) throws IOException {
    FALL_BACKS.incrementAndGet();
    try {
      failed.close();
    } catch (IOException e) {
      // The failed decoder's state does not matter any more.
    }
    openFull();
    long skip = position;
    byte[] scratch = new byte[8192];
    while (skip > 0) {
      int n = current.read(scratch, 0, (int) Math.min(scratch.length, skip));
      if (n < 0) {
        throw new IOException("the xz data ends before " + position + " bytes");
      }
      skip -= n;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (ended) {
      return -1;
    }
    int n;
    if (full) {
      n = current.read(b, off, len);
    } else {
      try {
        n = current.read(b, off, len);
      } catch (IOException | RuntimeException e) {
        if (position + len < first.dict()) {
          // The dictionary has not wrapped yet: the full decoder would fail here the same way.
          throw e;
        }
        fallBack(current);
        return read(b, off, len);
      }
      if (n < 0) {
        boolean more;
        try {
          more = anotherBlockFollows();
        } catch (IOException e) {
          more = false;
        }
        if (!more) {
          ended = true;
          return -1;
        }
        // A stream of several blocks goes on, which only the full decoder reads.
        fallBack(current);
        return read(b, off, len);
      }
    }
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    current.close();
  }

  /** Counts the compressed bytes the first try's decoder takes (it reads exactly its chunks, no more). */
  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
