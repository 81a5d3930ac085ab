package org.offlinecommons.zim;

import java.io.IOException;
import java.io.InputStream;

/**
 * The content of one blob: exactly {@link #size()} bytes, or a {@link ZimFormatException} if the cluster
 * ends first. Close it (a zstd decoder holds native memory until then).
 */
public final class BlobStream extends InputStream {
  private final Cluster cluster;
  private final InputStream in;
  private final long size;
  private final long blob;
  private long left;

  BlobStream(Cluster cluster, InputStream in, long size, long blob) {
    this.cluster = cluster;
    this.in = in;
    this.size = size;
    this.blob = blob;
    this.left = size;
  }

  /** The blob's size in bytes, as its cluster's offsets give it. */
  public long size() {
    return size;
  }

  /** Bytes not read yet. */
  public long remaining() {
    return left;
  }

  @Override
  public int read() throws IOException {
    if (left == 0) {
      return -1;
    }
    int b = in.read();
    if (b < 0) {
      throw early();
    }
    left--;
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (left == 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n < 0) {
      throw early();
    }
    left -= n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long want = Math.min(n, left);
    if (want <= 0) {
      return 0;
    }
    long done = in.skip(want);
    if (done <= 0) {
      return read() < 0 ? 0 : 1;
    }
    left -= done;
    return done;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(left, in.available());
  }

  private ZimFormatException early() {
    return cluster.source().problem(cluster.name() + " ends before blob " + blob + " does ("
        + (size - left) + " of its " + size + " bytes)");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
