package org.offlinecommons.zim;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The full check of a ZIM file, before anything from it is stored: every rule libzim's
 * {@code checkIntegrity} checks, and a few more. In order:
 * <ol>
 *   <li>the path pointer list: every pointer inside the file; every dirent parses, within the size limit;
 *       MIME indexes inside the MIME list; clusters and redirect targets in range; paths strictly sorted;
 *       redirect chains end within {@link ZimLimits#maxRedirectHops()} (no loops);</li>
 *   <li>the cluster pointer list: every cluster inside the file and after the one before; a known compression;
 *       its blob offset table aligned, increasing, within the blob and ratio limits, inside the cluster when
 *       uncompressed; and every entry's blob number below its cluster's blob count;</li>
 *   <li>the v0 title pointer list and the v1 front article listing: indexes in range, sorted by title;</li>
 *   <li>the MD5 checksum of everything before it.</li>
 * </ol>
 * Memory stays constant: entries are read one at a time, and the blob counts are compared a window of
 * {@value #CLUSTER_WINDOW} clusters at a time (more than one pass only for files with more clusters).
 * Compressed clusters are decoded only as far as their offset tables.
 */
public final class ZimChecker {
  static final int CLUSTER_WINDOW = 1 << 20;
  private static final int CHECKSUM_BUFFER = 1 << 20;

  /** Reports how far the check is: {@code step} names what is checked, {@code done} of {@code total} units. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (step, done, total) -> { };

    void progress(String step, long done, long total);
  }

  private final ZimArchive archive;
  private final ZimSource source;
  private final Progress progress;
  private final ZimLimits limits;

  ZimChecker(ZimArchive archive, ZimSource source, Progress progress) {
    this.archive = archive;
    this.source = source;
    this.progress = progress;
    this.limits = archive.limits();
  }

  void check() throws IOException {
    if (!archive.header().hasChecksum()) {
      throw source.problem("it has no checksum (the header's checksum position is 0), so its content cannot be "
          + "verified");
    }
    int clusters = archive.clusterCount();
    for (int window = 0; window < Math.max(clusters, 1); window += CLUSTER_WINDOW) {
      int width = Math.min(CLUSTER_WINDOW, clusters - window);
      long[] maxBlob = new long[Math.max(width, 0)];
      Arrays.fill(maxBlob, -1);
      checkEntries(window == 0, window, maxBlob);
      checkClusters(window, maxBlob);
    }
    checkTitleList();
    checkFrontArticleList();
    checkChecksum();
  }

  private void checkEntries(boolean everything, int window, long[] maxBlob) throws IOException {
    byte[] previous = null;
    int count = archive.entryCount();
    for (int i = 0; i < count; i++) {
      Dirent d = archive.dirent(i);
      if (d.isContent() && d.cluster() >= window && d.cluster() - window < maxBlob.length) {
        int slot = (int) (d.cluster() - window);
        maxBlob[slot] = Math.max(maxBlob[slot], d.blob());
      }
      if (!everything) {
        continue;
      }
      archive.toEntry(i, d);
      byte[] key = d.longPath();
      if (previous != null && Bytes.compare(previous, key) >= 0) {
        throw source.problem("the dirent table is not sorted by path: entry " + i + " " + d.describe()
            + " comes after " + Bytes.quote(Bytes.utf8(previous)));
      }
      previous = key;
      if (d.isRedirect()) {
        checkRedirectChain(i, d);
      }
      if ((i & 0xfff) == 0) {
        progress.progress("entries", i, count);
      }
    }
    if (everything) {
      progress.progress("entries", count, count);
    }
  }

  private void checkRedirectChain(int index, Dirent start) throws IOException {
    long target = start.redirect();
    for (int hops = 1; ; hops++) {
      int mime = source.u16(archive.direntOffset(target), "entry " + target);
      if (mime != Dirent.REDIRECT) {
        return;
      }
      if (hops == limits.maxRedirectHops()) {
        throw source.problem("entry " + index + " " + start.describe() + " starts a redirect chain that does not "
            + "reach content within " + limits.maxRedirectHops() + " steps (a redirect loop)");
      }
      target = archive.dirent(target).redirect();
      if (target >= archive.entryCount()) {
        throw source.problem("a redirect in the chain from entry " + index + " " + start.describe()
            + " points to entry " + target + ", but the file has only " + archive.entryCount());
      }
    }
  }

  private void checkClusters(int window, long[] maxBlob) throws IOException {
    int total = archive.clusterCount();
    for (int slot = 0; slot < maxBlob.length; slot++) {
      int c = window + slot;
      Cluster cluster = archive.cluster(c);
      archive.clusterEnd(c);
      long count;
      try (InputStream table = cluster.data()) {
        long first = cluster.readOffset(table, "the offset of its first blob");
        count = cluster.blobCount(first, archive.header().entryCount());
        long from = first;
        for (long b = 0; b < count; b++) {
          long to = cluster.readOffset(table, "the end of blob " + b);
          cluster.checkBlob(b, from, to, first);
          from = to;
        }
      }
      if (maxBlob[slot] >= count) {
        throw source.problem(cluster.name() + " has " + count + " blobs, but an entry asks for blob " + maxBlob[slot]);
      }
      if ((c & 0xff) == 0) {
        progress.progress("clusters", c, total);
      }
    }
    progress.progress("clusters", window + maxBlob.length, total);
  }

  private void checkTitleList() throws IOException {
    ZimHeader header = archive.header();
    if (!header.hasTitleListV0()) {
      return;
    }
    byte[] previous = null;
    for (long i = 0; i < header.entryCount(); i++) {
      long index = source.u32(header.titlePtrPos() + 4 * i, "the title pointer list");
      archive.titleIndexEntry(index, "title pointer list", i);
      byte[] key = archive.dirent(index).longTitle();
      previous = checkTitleOrder("title pointer list", i, previous, key);
      if ((i & 0xfff) == 0) {
        progress.progress("titles", i, header.entryCount());
      }
    }
  }

  private void checkFrontArticleList() throws IOException {
    var listing = archive.listingV1();
    if (listing.isEmpty()) {
      return;
    }
    try (BlobStream list = archive.openBlob(listing.get())) {
      if (list.size() % 4 != 0) {
        throw source.problem("the front article listing is " + list.size() + " bytes, not a multiple of 4");
      }
      byte[] b = new byte[4];
      byte[] previous = null;
      for (long i = 0; i < list.size() / 4; i++) {
        if (list.readNBytes(b, 0, 4) != 4) {
          throw source.problem("the front article listing ends early");
        }
        long index = archive.titleIndexEntry(Bytes.u32(b, 0), "front article listing", i);
        previous = checkTitleOrder("front article listing", i, previous, archive.dirent(index).longTitle());
      }
    }
  }

  private byte[] checkTitleOrder(String list, long position, byte[] previous, byte[] key) throws ZimFormatException {
    if (previous != null && Bytes.compare(previous, key) > 0) {
      throw source.problem("the " + list + " is not sorted by title: position " + position + " "
          + Bytes.quote(Bytes.utf8(key)) + " comes after " + Bytes.quote(Bytes.utf8(previous)));
    }
    return key;
  }

  /** Streams everything before the checksum through MD5 and compares. */
  void checkChecksum() throws IOException {
    ZimHeader header = archive.header();
    if (!header.hasChecksum()) {
      return;
    }
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
    long end = header.checksumPos();
    byte[] buffer = new byte[CHECKSUM_BUFFER];
    try (InputStream in = source.stream(0, end)) {
      long done = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        md5.update(buffer, 0, n);
        done += n;
        if ((done & ((64L << 20) - 1)) < n) {
          progress.progress("checksum", done, end);
        }
      }
    }
    byte[] stored = new byte[ZimHeader.CHECKSUM_SIZE];
    source.readFully(end, stored, 0, stored.length, "the checksum");
    byte[] actual = md5.digest();
    if (!Arrays.equals(stored, actual)) {
      throw source.problem("the MD5 checksum does not match its content (stored "
          + HexFormat.of().formatHex(stored) + ", computed " + HexFormat.of().formatHex(actual)
          + "): the file is damaged");
    }
    progress.progress("checksum", end, end);
  }
}
