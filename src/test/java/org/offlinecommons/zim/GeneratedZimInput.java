package org.offlinecommons.zim;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * A {@link ZimWriterInput} of {@code n} generated entries that holds nothing per entry, as a database-backed
 * one would: paths {@code p/000000.html}..., titles a permutation of the numbers (so title order differs from
 * path order), every tenth entry a redirect to the one before it.
 */
final class GeneratedZimInput implements ZimWriterInput {
  private static final long STEP = 7919;
  final int n;
  private final long inverse;

  GeneratedZimInput(int n) {
    this.n = n;
    this.inverse = BigInteger.valueOf(STEP).modInverse(BigInteger.valueOf(n)).longValue();
  }

  static String path(long i) {
    return String.format("p/%06d.html", i);
  }

  ZimItem item(long i) {
    String title = String.format("Title %06d", i * STEP % n);
    if (i % 10 == 9) {
      return ZimItem.redirect(path(i), title, path(i - 1));
    }
    return ZimItem.content(path(i), title, "text/html", content(i).length);
  }

  static byte[] content(long i) {
    return ("<html><head><title>" + i + "</title></head><body>" + "x".repeat((int) (i % 50)) + i
        + "</body></html>").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Cursor byPath(String fromPath) {
    long start = fromPath.isEmpty() ? 0 : indexOf(fromPath);
    return cursor(start, i -> i);
  }

  @Override
  public Cursor byTitle(long skip) {
    return cursor(skip, rank -> rank * inverse % n);
  }

  private Cursor cursor(long start, java.util.function.LongUnaryOperator entryAt) {
    return new Cursor() {
      long at = start;

      @Override
      public ZimItem next() {
        return at < n ? item(entryAt.applyAsLong(at++)) : null;
      }

      @Override
      public void close() {
      }
    };
  }

  @Override
  public long indexOf(String path) {
    if (!path.matches("p/\\d{6}\\.html")) {
      return -1;
    }
    long i = Long.parseLong(path.substring(2, 8));
    return i < n ? i : -1;
  }

  @Override
  public InputStream open(ZimItem item) {
    return new ByteArrayInputStream(content(indexOf(item.path())));
  }

  /** Writes a ZIM of {@code args[0]} generated entries to {@code args[1]} (run in a JVM with a small heap). */
  public static void main(String[] args) throws Exception {
    GeneratedZimInput input = new GeneratedZimInput(Integer.parseInt(args[0]));
    ZimBook book = new ZimBook(ZimWriterFixture.METADATA, ZimWriterFixture.png(48, java.awt.Color.RED),
        path(0), new byte[16]);
    long start = System.nanoTime();
    ZimWriter writer = ZimWriter.layOut(input, book);
    long layout = System.nanoTime();
    ZimWriterFixture.writeZim(writer, java.nio.file.Path.of(args[1]));
    long end = System.nanoTime();
    Runtime rt = Runtime.getRuntime();
    System.gc();
    // The writer is still reachable here: what it keeps after a layout and a full write.
    System.out.printf("entries=%d length=%d layoutMs=%d writeMs=%d maxHeap=%d heapAfterGc=%d%n", writer.entryCount(),
        writer.length(), (layout - start) / 1_000_000, (end - layout) / 1_000_000, rt.maxMemory(),
        rt.totalMemory() - rt.freeMemory());
  }
}
