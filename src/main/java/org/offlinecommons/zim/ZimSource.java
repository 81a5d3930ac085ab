package org.offlinecommons.zim;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one ZIM file, read by position: one file, or the parts of a split file ({@code .zimaa},
 * {@code .zimab}, ...) read as their concatenation. Small reads go through read-ahead windows, so that
 * walking the dirents (stored one after another) costs one system call per window, not per field. There are
 * {@value #WINDOWS} of them, the least recently used refilled: reading an entry by index alternates between the
 * path pointer list and the dirents (and a title list walk adds a third place), and with one window each
 * such read was a system call.
 */
final class ZimSource implements AutoCloseable {
  private static final int WINDOW = 64 * 1024;
  private static final int JUMP = 2 * 1024;
  private static final int WINDOWS = 4;

  private final String name;
  private final FileChannel[] parts;
  private final long[] starts;
  private final long size;
  private final byte[][] windows = new byte[WINDOWS][WINDOW];
  private final long[] windowStart = new long[WINDOWS];
  private final int[] windowLength = new int[WINDOWS];
  private final long[] windowUsed = new long[WINDOWS];
  private long uses;

  private ZimSource(String name, FileChannel[] parts, long[] starts, long size) {
    this.name = name;
    this.parts = parts;
    this.starts = starts;
    this.size = size;
  }

  /** Opens the given files, in order, as one file named after the first. */
  static ZimSource open(List<Path> files) throws IOException {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no ZIM file given");
    }
    String name = displayName(files.get(0));
    FileChannel[] channels = new FileChannel[files.size()];
    long[] starts = new long[files.size()];
    long total = 0;
    try {
      for (int i = 0; i < files.size(); i++) {
        channels[i] = FileChannel.open(files.get(i), StandardOpenOption.READ);
        starts[i] = total;
        total += channels[i].size();
      }
    } catch (IOException e) {
      for (FileChannel c : channels) {
        if (c != null) {
          c.close();
        }
      }
      throw e;
    }
    return new ZimSource(name, channels, starts, total);
  }

  /**
   * The files that make up the ZIM at {@code path}: the file itself, or for {@code X.zimaa} (or a missing
   * {@code X.zim} with an {@code X.zimaa} beside it) every part {@code X.zimaa}, {@code X.zimab}, ... up to
   * the first missing one, as libzim does.
   */
  static List<Path> partsOf(Path path) {
    String file = path.getFileName().toString();
    String base;
    if (file.endsWith(".zimaa")) {
      base = file.substring(0, file.length() - 2);
    } else if (!Files.exists(path) && Files.exists(path.resolveSibling(file + "aa"))) {
      base = file;
    } else {
      return List.of(path);
    }
    List<Path> parts = new ArrayList<>();
    for (char a = 'a'; a <= 'z'; a++) {
      for (char b = 'a'; b <= 'z'; b++) {
        Path part = path.resolveSibling(base + a + b);
        if (!Files.isRegularFile(part)) {
          return parts;
        }
        parts.add(part);
      }
    }
    return parts;
  }

  private static String displayName(Path first) {
    String file = first.getFileName().toString();
    return file.endsWith(".zimaa") ? file.substring(0, file.length() - 2) : file;
  }

  /** The file's name, for messages ({@code X.zim} for the parts of a split {@code X.zim}). */
  String name() {
    return name;
  }

  long size() {
    return size;
  }

  int partCount() {
    return parts.length;
  }

  ZimFormatException problem(String what) {
    return new ZimFormatException(name + ": " + what);
  }

  /** Reads {@code length} bytes at {@code position}, or fails naming {@code what} ran past the end. */
  synchronized void readFully(long position, byte[] dst, int offset, int length, String what) throws IOException {
    if (position < 0 || length < 0 || position > size - length) {
      throw problem(what + " runs past the end of the file");
    }
    if (length <= WINDOW / 4) {
      int w = windowWith(position, length);
      windowUsed[w] = ++uses;
      System.arraycopy(windows[w], (int) (position - windowStart[w]), dst, offset, length);
      return;
    }
    readDirect(position, ByteBuffer.wrap(dst, offset, length));
  }

  /** The window that holds {@code position..position+needed}, filled if none does. */
  private int windowWith(long position, int needed) throws IOException {
    int oldest = 0;
    for (int w = 0; w < WINDOWS; w++) {
      if (position >= windowStart[w] && position + needed <= windowStart[w] + windowLength[w]) {
        return w;
      }
      if (windowUsed[w] < windowUsed[oldest]) {
        oldest = w;
      }
    }
    // A read just past a window continues its walk (dirents, pointer lists): that window reads ahead. Any
    // other read is a jump (a title list points anywhere): the oldest window reads a little, or jumps would
    // cost a whole window each.
    for (int w = 0; w < WINDOWS; w++) {
      if (windowLength[w] > 0 && position >= windowStart[w]
          && position <= windowStart[w] + windowLength[w] + JUMP) {
        fillWindow(w, position, WINDOW, needed);
        return w;
      }
    }
    fillWindow(oldest, position, JUMP, needed);
    return oldest;
  }

  private void fillWindow(int w, long position, int wanted, int needed) throws IOException {
    int length = (int) Math.min(Math.max(wanted, needed), size - position);
    windowStart[w] = position;
    windowLength[w] = 0;
    readDirect(position, ByteBuffer.wrap(windows[w], 0, length));
    windowLength[w] = length;
  }

  private void readDirect(long position, ByteBuffer dst) throws IOException {
    while (dst.hasRemaining()) {
      int part = partAt(position);
      long local = position - starts[part];
      ByteBuffer slice = dst;
      long partLeft = partEnd(part) - position;
      int limit = dst.limit();
      if (dst.remaining() > partLeft) {
        dst.limit(dst.position() + (int) partLeft);
      }
      int n = parts[part].read(slice, local);
      dst.limit(limit);
      if (n < 0) {
        throw new EOFException(name + ": a part of the file shrank while it was read");
      }
      position += n;
    }
  }

  /** Where part {@code part} ends, from the sizes at opening (asking the channel costs a system call per read). */
  private long partEnd(int part) {
    return part + 1 < starts.length ? starts[part + 1] : size;
  }

  private int partAt(long position) {
    int low = 0;
    int high = starts.length - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (starts[mid] <= position) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  int u8(long position, String what) throws IOException {
    byte[] b = new byte[1];
    readFully(position, b, 0, 1, what);
    return b[0] & 0xff;
  }

  int u16(long position, String what) throws IOException {
    byte[] b = new byte[2];
    readFully(position, b, 0, 2, what);
    return (b[0] & 0xff) | (b[1] & 0xff) << 8;
  }

  long u32(long position, String what) throws IOException {
    byte[] b = new byte[4];
    readFully(position, b, 0, 4, what);
    return Bytes.u32(b, 0);
  }

  /** An unsigned 64-bit value; one above {@link Long#MAX_VALUE} comes back negative, which callers refuse. */
  long u64(long position, String what) throws IOException {
    byte[] b = new byte[8];
    readFully(position, b, 0, 8, what);
    return Bytes.u64(b, 0);
  }

  /** The bytes from {@code start} (inclusive) to {@code end} (exclusive) as a stream with its own buffer. */
  InputStream stream(long start, long end) {
    return new RangeStream(start, end);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (FileChannel c : parts) {
      try {
        c.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private final class RangeStream extends InputStream {
    private final byte[] buffer = new byte[16 * 1024];
    private long next;
    private final long end;
    private int bufferPos;
    private int bufferLen;

    RangeStream(long start, long end) {
      this.next = start;
      this.end = Math.min(end, size);
    }

    @Override
    public int read() throws IOException {
      if (bufferPos == bufferLen && !fill()) {
        return -1;
      }
      return buffer[bufferPos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (bufferPos == bufferLen && !fill()) {
        return -1;
      }
      int n = Math.min(len, bufferLen - bufferPos);
      System.arraycopy(buffer, bufferPos, b, off, n);
      bufferPos += n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      if (n <= 0) {
        return 0;
      }
      long inBuffer = Math.min(n, bufferLen - bufferPos);
      bufferPos += (int) inBuffer;
      long more = Math.min(n - inBuffer, end - next);
      next += more;
      return inBuffer + more;
    }

    private boolean fill() throws IOException {
      if (next >= end) {
        return false;
      }
      int n = (int) Math.min(buffer.length, end - next);
      synchronized (ZimSource.this) {
        readDirect(next, ByteBuffer.wrap(buffer, 0, n));
      }
      next += n;
      bufferPos = 0;
      bufferLen = n;
      return true;
    }
  }
}
