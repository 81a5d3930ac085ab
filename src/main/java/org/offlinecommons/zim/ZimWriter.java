package org.offlinecommons.zim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a ZIM (major 6, minor 1: the new namespace scheme) from a {@link ZimWriterInput} without ever building
 * it: {@link #layOut} walks the input's cursors to compute every position and the total {@link #length()},
 * then {@link #write(long, long, OutputStream)} writes any slice, producing none of the bytes before it.
 *
 * <p>The file, in order: header, MIME type list, path pointer list, v0 title pointer list, cluster pointer
 * list, dirents (path order), uncompressed clusters, MD5. The caller's entries are the {@code C} namespace;
 * the writer adds {@code M/*} metadata, {@code W/mainPage} and {@code X/listing/titleOrdered/v1}. Memory is
 * bounded by a constant: at most {@link #MAX_CHECKPOINTS} resume points per cursor kind and one cluster's
 * entries ({@link #MAX_BLOBS_PER_CLUSTER}). Thread-safe: each write opens its own cursors.
 */
public final class ZimWriter {
  /**
   * Changes whenever the same input would give different bytes (layout, cluster rule, what is added): a cached
   * checksum or an ETag must include it along with the input's version.
   */
  public static final int OUTPUT_VERSION = 1;
  /** Clusters are closed when the next blob would take them past this size. */
  public static final int CLUSTER_TARGET_BYTES = 1 << 20;
  static final int MAX_BLOBS_PER_CLUSTER = 4096;
  static final int MAX_CHECKPOINTS = 1024;
  static final int MINOR_VERSION = 1;
  static final String LISTING_MIME = "application/octet-stream+zimlisting";
  static final String TEXT_MIME = "text/plain;charset=utf-8";
  static final String PNG_MIME = "image/png";
  static final String MAIN_PAGE = "mainPage";
  private static final int CONTENT_DIRENT_FIXED = 16;
  private static final int REDIRECT_DIRENT_FIXED = 12;

  private final ZimWriterInput input;
  private final ZimBook book;
  private final List<Own> own = new ArrayList<>();
  private final Map<String, Integer> mimeIndex = new HashMap<>();
  private final byte[] mimeList;
  private final Checkpoints entryPoints = new Checkpoints();
  private final Checkpoints clusterPoints = new Checkpoints();
  private long userEntries;
  private long entryCount;
  private long clusterCount;
  private long frontArticles;
  private long mainPageTarget;
  private long clusterBytesTotal;
  private final long pathPtrPos;
  private final long titlePtrPos;
  private final long clusterPtrPos;
  private final long direntPos;
  private final long clusterPos;
  private final long checksumPos;
  private final byte[] header;
  private volatile byte[] checksum;

  /** An entry the writer adds: metadata, the main page redirect, the front article listing. */
  private record Own(char namespace, ZimItem item, byte[] data) {
  }

  private ZimWriter(ZimWriterInput input, ZimBook book) throws IOException {
    this.input = input;
    this.book = book;
    TreeSet<String> mimes = new TreeSet<>();
    long direntBytes = layOutEntries(mimes);
    checkTitleOrder();
    int i = 0;
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    for (String mime : mimes) {
      mimeIndex.put(mime, i++);
      list.writeBytes(mime.getBytes(StandardCharsets.US_ASCII));
      list.write(0);
    }
    list.write(0);
    mimeList = list.toByteArray();
    pathPtrPos = ZimHeader.MIME_LIST_POS + mimeList.length;
    titlePtrPos = pathPtrPos + 8 * entryCount;
    clusterPtrPos = titlePtrPos + 4 * entryCount;
    direntPos = clusterPtrPos + 8 * clusterCount;
    clusterPos = direntPos + direntBytes;
    checksumPos = clusterPos + clusterBytesTotal;
    header = header();
  }

  /**
   * Computes the layout: one pass over the input by path (checking order, collecting MIME types, sizes and
   * resume points), one by title (checking order and count). Throws {@link IllegalArgumentException} naming
   * the entry when the input breaks a rule.
   */
  public static ZimWriter layOut(ZimWriterInput input, ZimBook book) throws IOException {
    return new ZimWriter(input, book);
  }

  /** The file's length in bytes, the checksum included. */
  public long length() {
    return checksumPos + ZimHeader.CHECKSUM_SIZE;
  }

  public long entryCount() {
    return entryCount;
  }

  public long clusterCount() {
    return clusterCount;
  }

  /** Where the MD5 checksum starts: slices that reach it need {@link #useChecksum} or {@link #computeChecksum}. */
  public long checksumPosition() {
    return checksumPos;
  }

  /** Reads every byte once to compute the MD5 (and remembers it); cache it per input version. */
  public byte[] computeChecksum() throws IOException {
    return writeAll(OutputStream.nullOutputStream());
  }

  /** Uses a checksum computed earlier for these same bytes. */
  public void useChecksum(byte[] md5) {
    if (md5.length != ZimHeader.CHECKSUM_SIZE) {
      throw new IllegalArgumentException("an MD5 is 16 bytes, not " + md5.length);
    }
    checksum = md5.clone();
  }

  /** The checksum if known. */
  public java.util.Optional<byte[]> checksum() {
    byte[] c = checksum;
    return c == null ? java.util.Optional.empty() : java.util.Optional.of(c.clone());
  }

  /** Writes the whole file, computing the checksum on the way (no earlier pass needed); returns the MD5. */
  public byte[] writeAll(OutputStream out) throws IOException {
    MessageDigest md5 = md5();
    DigestOutputStream digesting = new DigestOutputStream(out, md5);
    writeData(0, checksumPos, digesting);
    digesting.flush();
    byte[] sum = md5.digest();
    checksum = sum.clone();
    out.write(sum);
    return sum;
  }

  /**
   * Writes bytes {@code [from, to)} of the file. A slice that reaches the last 16 bytes needs the checksum
   * ({@link #computeChecksum}, {@link #useChecksum} or an earlier {@link #writeAll}).
   */
  public void write(long from, long to, OutputStream out) throws IOException {
    if (from < 0 || from > to || to > length()) {
      throw new IllegalArgumentException("slice [" + from + ", " + to + ") is outside the file of " + length()
          + " bytes");
    }
    byte[] sum = checksum;
    if (to > checksumPos && from < to && sum == null) {
      throw new IllegalStateException("the slice reaches the checksum, which is not computed yet");
    }
    writeData(from, Math.min(to, checksumPos), out);
    if (to > checksumPos && from < to) {
      RangeSink sink = new RangeSink(out, from, to);
      sink.moveTo(checksumPos);
      sink.write(sum);
    }
  }

  private void writeData(long from, long to, OutputStream out) throws IOException {
    if (from >= to) {
      return;
    }
    RangeSink sink = new RangeSink(out, from, to);
    sink.write(header);
    sink.write(mimeList);
    if (overlaps(from, to, pathPtrPos, titlePtrPos)) {
      writePathPointers(sink, from);
    }
    if (overlaps(from, to, titlePtrPos, clusterPtrPos)) {
      writeTitlePointers(sink, from);
    }
    if (overlaps(from, to, clusterPtrPos, direntPos)) {
      writeClusterPointers(sink, from);
    }
    if (overlaps(from, to, direntPos, clusterPos)) {
      writeDirents(sink, from);
    }
    if (overlaps(from, to, clusterPos, checksumPos)) {
      writeClusters(sink, from);
    }
  }

  private static boolean overlaps(long from, long to, long start, long end) {
    return from < end && to > start && start < end;
  }

  // ---------------------------------------------------------------- layout

  private long layOutEntries(TreeSet<String> mimes) throws IOException {
    byte[] previous = null;
    try (Walk walk = new Walk(State.START, "")) {
      while (true) {
        State before = walk.state();
        Slot slot = walk.next();
        if (slot == null) {
          break;
        }
        ZimItem item = slot.item;
        if (slot.own == null) {
          byte[] path = item.path().getBytes(StandardCharsets.UTF_8);
          if (previous != null && Bytes.compare(previous, path) >= 0) {
            throw new IllegalArgumentException("entries by path: '" + item.path() + "' comes after '"
                + Bytes.utf8(previous) + "' (the order must be by UTF-8 bytes, each path once)");
          }
          previous = path;
          if (item.isRedirect() && item.redirectTarget().equals(item.path())) {
            throw new IllegalArgumentException("redirect '" + item.path() + "' points at itself");
          }
          if (item.isRedirect() && input.indexOf(item.redirectTarget()) < 0) {
            throw new IllegalArgumentException("redirect '" + item.path() + "' points at '" + item.redirectTarget()
                + "', which is not an entry");
          }
          if (item.frontArticle()) {
            frontArticles++;
          }
        }
        if (!item.isRedirect()) {
          mimes.add(item.mimeType());
          if (mimes.size() > ZimLimits.DEFAULT.maxMimeTypes()) {
            throw new IllegalArgumentException("more than " + ZimLimits.DEFAULT.maxMimeTypes() + " media types");
          }
        }
        entryPoints.offer(slot.index, before.at(slot));
        if (slot.blob == 0 && !item.isRedirect()) {
          clusterPoints.offer(slot.cluster, before.at(slot));
        }
        if (slot.index > 0xfffffffeL) {
          throw new IllegalArgumentException("more entries than a ZIM can hold");
        }
      }
      State end = walk.state();
      entryCount = end.index;
      clusterCount = end.cluster + (end.blobs > 0 ? 1 : 0);
      clusterBytesTotal = end.clusterPos + (end.blobs > 0 ? clusterSize(end.blobs, end.clusterBytes) : 0);
      return end.direntPos;
    }
  }

  /** Called by the first walk when the caller's entries end: the writer's own entries follow them. */
  private void addOwnEntries(long users) throws IOException {
    userEntries = users;
    mainPageTarget = input.indexOf(book.mainPage());
    if (mainPageTarget < 0) {
      throw new IllegalArgumentException("the main page '" + book.mainPage() + "' is not an entry");
    }
    ZimMetadata m = book.metadata();
    java.util.TreeMap<String, byte[]> meta = new java.util.TreeMap<>((a, b) ->
        Bytes.compare(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    String[][] values = {{ZimMetadata.NAME, m.name()}, {ZimMetadata.TITLE, m.title()},
        {ZimMetadata.DESCRIPTION, m.description()}, {ZimMetadata.LONG_DESCRIPTION, m.longDescription()},
        {ZimMetadata.LANGUAGE, m.language()}, {ZimMetadata.CREATOR, m.creator()},
        {ZimMetadata.PUBLISHER, m.publisher()}, {ZimMetadata.DATE, m.date()}, {ZimMetadata.LICENSE, m.license()},
        {ZimMetadata.TAGS, m.tags()}, {ZimMetadata.FLAVOUR, m.flavour()}, {ZimMetadata.SOURCE, m.source()},
        {ZimMetadata.SCRAPER, m.scraper()}};
    for (String[] v : values) {
      if (!v[1].isEmpty()) {
        meta.put(v[0], v[1].getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] png = book.illustration48();
    for (Map.Entry<String, byte[]> e : meta.entrySet()) {
      own.add(new Own(NamespaceScheme.METADATA, ZimItem.content(e.getKey(), "", TEXT_MIME, e.getValue().length)
          .withFrontArticle(false), e.getValue()));
    }
    if (png.length > 0) {
      int at = 0;
      while (at < own.size() && Bytes.compare(own.get(at).item.path().getBytes(StandardCharsets.UTF_8),
          ZimMetadata.ILLUSTRATION_48.getBytes(StandardCharsets.UTF_8)) < 0) {
        at++;
      }
      own.add(at, new Own(NamespaceScheme.METADATA,
          ZimItem.content(ZimMetadata.ILLUSTRATION_48, "", PNG_MIME, png.length), png));
    }
    own.add(new Own(NamespaceScheme.WELL_KNOWN, ZimItem.redirect(MAIN_PAGE, "", book.mainPage()), null));
    own.add(new Own(NamespaceScheme.INDEX, ZimItem.content(ZimArchive.LISTING_V1, "", LISTING_MIME,
        4 * frontArticles).withFrontArticle(false), null));
  }

  private void checkTitleOrder() throws IOException {
    byte[] previousTitle = null;
    byte[] previousPath = null;
    long count = 0;
    try (ZimWriterInput.Cursor cursor = input.byTitle(0)) {
      for (ZimItem item = cursor.next(); item != null; item = cursor.next()) {
        byte[] title = item.effectiveTitle().getBytes(StandardCharsets.UTF_8);
        byte[] path = item.path().getBytes(StandardCharsets.UTF_8);
        if (previousTitle != null) {
          int c = Bytes.compare(previousTitle, title);
          if (c > 0 || c == 0 && Bytes.compare(previousPath, path) >= 0) {
            throw new IllegalArgumentException("entries by title: '" + item.path() + "' (title '"
                + item.effectiveTitle() + "') comes after '" + Bytes.utf8(previousPath)
                + "' (the order must be by title, then path, as UTF-8 bytes)");
          }
        }
        previousTitle = title;
        previousPath = path;
        count++;
      }
    }
    if (count != userEntries) {
      throw new IllegalArgumentException("the input has " + userEntries + " entries by path but " + count
          + " by title");
    }
  }

  private byte[] header() {
    byte[] h = new byte[ZimHeader.SIZE];
    put32(h, ZimHeader.OFFSET_MAGIC, ZimHeader.MAGIC);
    h[ZimHeader.OFFSET_MAJOR] = (byte) ZimHeader.MAJOR_VERSION;
    h[ZimHeader.OFFSET_MINOR] = (byte) MINOR_VERSION;
    System.arraycopy(book.uuid(), 0, h, ZimHeader.OFFSET_UUID, 16);
    put32(h, ZimHeader.OFFSET_ENTRY_COUNT, entryCount);
    put32(h, ZimHeader.OFFSET_CLUSTER_COUNT, clusterCount);
    put64(h, ZimHeader.OFFSET_PATH_PTR_POS, pathPtrPos);
    put64(h, ZimHeader.OFFSET_TITLE_PTR_POS, titlePtrPos);
    put64(h, ZimHeader.OFFSET_CLUSTER_PTR_POS, clusterPtrPos);
    put64(h, ZimHeader.OFFSET_MIME_LIST_POS, ZimHeader.MIME_LIST_POS);
    put32(h, ZimHeader.OFFSET_MAIN_PAGE, userEntries + ownIndex(NamespaceScheme.WELL_KNOWN));
    put32(h, ZimHeader.OFFSET_LAYOUT_PAGE, ZimHeader.NO_PAGE);
    put64(h, ZimHeader.OFFSET_CHECKSUM_POS, checksumPos);
    return h;
  }

  private int ownIndex(char namespace) {
    for (int i = 0; i < own.size(); i++) {
      if (own.get(i).namespace == namespace) {
        return i;
      }
    }
    throw new IllegalStateException("no own entry in " + namespace);
  }

  // ---------------------------------------------------------------- sections

  private void writePathPointers(RangeSink sink, long from) throws IOException {
    long first = Math.max(0, (from - pathPtrPos) / 8);
    sink.moveTo(pathPtrPos + 8 * first);
    byte[] b = new byte[8];
    try (Walk walk = walkFromEntry(first)) {
      for (Slot slot = walk.next(); slot != null && sink.pos() < titlePtrPos && !sink.done(); slot = walk.next()) {
        if (slot.index < first) {
          continue;
        }
        put64(b, 0, direntPos + slot.direntPos);
        sink.write(b);
      }
    }
  }

  private void writeTitlePointers(RangeSink sink, long from) throws IOException {
    long first = Math.max(0, (from - titlePtrPos) / 4);
    sink.moveTo(titlePtrPos + 4 * first);
    byte[] b = new byte[4];
    if (first < userEntries) {
      try (ZimWriterInput.Cursor cursor = input.byTitle(first)) {
        for (ZimItem item = cursor.next(); item != null && !sink.done() && sink.pos() < clusterPtrPos;
            item = cursor.next()) {
          put32(b, 0, indexOf(item.path()));
          sink.write(b);
        }
      }
    }
    for (long i = Math.max(first, userEntries); i < entryCount && !sink.done(); i++) {
      put32(b, 0, i);
      sink.write(b);
    }
  }

  private void writeClusterPointers(RangeSink sink, long from) throws IOException {
    long first = Math.max(0, (from - clusterPtrPos) / 8);
    sink.moveTo(clusterPtrPos + 8 * first);
    byte[] b = new byte[8];
    try (Walk walk = walkFromCluster(clusterPoints.floorByKey(first))) {
      for (Slot slot = walk.next(); slot != null && !sink.done() && sink.pos() < direntPos; slot = walk.next()) {
        if (slot.blob == 0 && !slot.item.isRedirect() && slot.cluster >= first) {
          put64(b, 0, clusterPos + slot.clusterStart);
          sink.write(b);
        }
      }
    }
  }

  private void writeDirents(RangeSink sink, long from) throws IOException {
    Checkpoint point = entryPoints.floorByPosition(Math.max(0, from - direntPos), false);
    try (Walk walk = new Walk(point.state, point.path)) {
      for (Slot slot = walk.next(); slot != null && !sink.done() && sink.pos() < clusterPos; slot = walk.next()) {
        sink.moveTo(direntPos + slot.direntPos);
        if (sink.before(slot.direntSize)) {
          continue;
        }
        sink.write(dirent(slot));
      }
    }
  }

  private void writeClusters(RangeSink sink, long from) throws IOException {
    Checkpoint point = clusterPoints.floorByPosition(Math.max(0, from - clusterPos), true);
    List<Slot> blobs = new ArrayList<>();
    try (Walk walk = walkFromCluster(point)) {
      for (Slot slot = walk.next(); !sink.done(); slot = walk.next()) {
        if (slot != null && slot.item.isRedirect()) {
          continue;
        }
        if (slot == null || slot.blob == 0) {
          if (!blobs.isEmpty()) {
            writeCluster(sink, blobs);
            blobs.clear();
          }
          if (slot == null) {
            break;
          }
        }
        blobs.add(slot);
      }
    }
  }

  private void writeCluster(RangeSink sink, List<Slot> blobs) throws IOException {
    Slot first = blobs.get(0);
    long data = 0;
    for (Slot s : blobs) {
      data += s.item.size();
    }
    long size = clusterSize(blobs.size(), data);
    sink.moveTo(clusterPos + first.clusterStart);
    if (sink.before(size)) {
      sink.skip(size);
      return;
    }
    boolean extended = extended(blobs.size(), data);
    int width = extended ? 8 : 4;
    sink.write(new byte[] {(byte) (ClusterCompression.CODE_NONE | (extended ? ClusterCompression.INFO_EXTENDED : 0))});
    byte[] b = new byte[width];
    long offset = (long) width * (blobs.size() + 1);
    for (int i = 0; i <= blobs.size(); i++) {
      if (width == 8) {
        put64(b, 0, offset);
      } else {
        put32(b, 0, offset);
      }
      sink.write(b);
      if (i < blobs.size()) {
        offset += blobs.get(i).item.size();
      }
    }
    for (Slot s : blobs) {
      if (sink.done()) {
        return;
      }
      writeBlob(sink, s);
    }
  }

  private void writeBlob(RangeSink sink, Slot slot) throws IOException {
    long size = slot.item.size();
    if (sink.before(size)) {
      sink.skip(size);
      return;
    }
    if (slot.own == null) {
      try (InputStream in = input.open(slot.item)) {
        sink.copy(in, size, "C/" + slot.item.path());
      }
    } else if (slot.own.data != null) {
      sink.write(slot.own.data);
    } else {
      writeListing(sink);
    }
  }

  /** {@code X/listing/titleOrdered/v1}: the entry indexes of the front articles, by title. */
  private void writeListing(RangeSink sink) throws IOException {
    long end = sink.pos() + 4 * frontArticles;
    byte[] b = new byte[4];
    long written = 0;
    try (ZimWriterInput.Cursor cursor = input.byTitle(0)) {
      for (ZimItem item = cursor.next(); item != null && !sink.done(); item = cursor.next()) {
        if (!item.frontArticle()) {
          continue;
        }
        written++;
        if (sink.before(4)) {
          sink.skip(4);
          continue;
        }
        put32(b, 0, indexOf(item.path()));
        sink.write(b);
      }
    }
    if (!sink.done() && written != frontArticles) {
      throw new IOException("the input now has " + written + " front articles by title, not " + frontArticles);
    }
    sink.moveTo(end);
  }

  private byte[] dirent(Slot slot) throws IOException {
    ZimItem item = slot.item;
    byte[] path = item.path().getBytes(StandardCharsets.UTF_8);
    byte[] title = item.title().equals(item.path()) ? new byte[0] : item.title().getBytes(StandardCharsets.UTF_8);
    boolean redirect = item.isRedirect();
    int fixed = redirect ? REDIRECT_DIRENT_FIXED : CONTENT_DIRENT_FIXED;
    byte[] d = new byte[fixed + path.length + 1 + title.length + 1];
    char namespace = slot.own == null ? NamespaceScheme.CONTENT : slot.own.namespace;
    if (redirect) {
      put16(d, 0, Dirent.REDIRECT);
      long target = slot.own == null ? indexOf(item.redirectTarget()) : mainPageTarget;
      put32(d, 8, target);
    } else {
      Integer mime = mimeIndex.get(item.mimeType());
      if (mime == null) {
        throw new IOException("C/" + item.path() + " now has media type " + item.mimeType()
            + ", not one seen when the layout was computed");
      }
      put16(d, 0, mime);
      put32(d, 8, slot.cluster);
      put32(d, 12, slot.blob);
    }
    d[3] = (byte) namespace;
    System.arraycopy(path, 0, d, fixed, path.length);
    System.arraycopy(title, 0, d, fixed + path.length + 1, title.length);
    if (d.length != slot.direntSize) {
      throw new IllegalStateException("dirent size changed for " + item.path());
    }
    return d;
  }

  private long indexOf(String path) throws IOException {
    long index = input.indexOf(path);
    if (index < 0 || index >= userEntries) {
      throw new IOException("the input no longer has an entry '" + path + "'");
    }
    return index;
  }

  private static long direntSize(ZimItem item) {
    int path = item.path().getBytes(StandardCharsets.UTF_8).length;
    int title = item.title().equals(item.path()) ? 0 : item.title().getBytes(StandardCharsets.UTF_8).length;
    return (item.isRedirect() ? REDIRECT_DIRENT_FIXED : CONTENT_DIRENT_FIXED) + path + 1 + title + 1;
  }

  static boolean extended(long blobs, long data) {
    return 4 * (blobs + 1) + data > 0xffffffffL;
  }

  static long clusterSize(long blobs, long data) {
    return 1 + (extended(blobs, data) ? 8 : 4) * (blobs + 1) + data;
  }

  // ---------------------------------------------------------------- walking the entries

  /**
   * Where a walk stands before an entry: its index, its dirent's position in the dirent section, and the cluster
   * being filled (index, blobs, bytes, and its position in the cluster section).
   */
  private record State(long index, long direntPos, long cluster, long blobs, long clusterBytes, long clusterPos) {
    static final State START = new State(0, 0, 0, 0, 0, 0);

    Checkpoint at(Slot slot) {
      return new Checkpoint(this, slot.own == null ? slot.item.path() : null, slot.direntPos, slot.clusterStart);
    }
  }

  /** A resume point: the state before an entry, and the entry's path (null for the writer's own entries). */
  private record Checkpoint(State state, String path, long direntPos, long clusterStart) {
  }

  /** One entry met on a walk, with its place in the file. */
  private static final class Slot {
    long index;
    ZimItem item;
    Own own;
    long direntPos;
    long direntSize;
    long cluster;
    long blob;
    long clusterStart;
  }

  private Walk walkFromEntry(long index) throws IOException {
    Checkpoint point = entryPoints.floorByKey(index);
    return new Walk(point.state, point.path);
  }

  private Walk walkFromCluster(Checkpoint point) throws IOException {
    return new Walk(point.state, point.path);
  }

  /** The entries in path order from a resume point: the caller's, then the writer's own. */
  private final class Walk implements AutoCloseable {
    private long index;
    private long direntPos;
    private long cluster;
    private long blobs;
    private long clusterBytes;
    private long clusterPos;
    private ZimWriterInput.Cursor cursor;
    private boolean inOwn;
    private int ownAt;

    Walk(State state, String path) throws IOException {
      index = state.index;
      direntPos = state.direntPos;
      cluster = state.cluster;
      blobs = state.blobs;
      clusterBytes = state.clusterBytes;
      clusterPos = state.clusterPos;
      if (path != null) {
        cursor = input.byPath(path);
      } else {
        inOwn = true;
        ownAt = (int) (index - userEntries);
      }
    }

    State state() {
      return new State(index, direntPos, cluster, blobs, clusterBytes, clusterPos);
    }

    Slot next() throws IOException {
      Slot slot = new Slot();
      if (!inOwn) {
        slot.item = cursor.next();
        if (slot.item == null) {
          cursor.close();
          cursor = null;
          inOwn = true;
          if (own.isEmpty()) {
            addOwnEntries(index);
          }
          ownAt = (int) (index - userEntries);
        }
      }
      if (inOwn) {
        if (ownAt >= own.size()) {
          return null;
        }
        slot.own = own.get(ownAt++);
        slot.item = slot.own.item;
      }
      slot.index = index++;
      slot.direntPos = direntPos;
      slot.direntSize = direntSize(slot.item);
      direntPos += slot.direntSize;
      if (!slot.item.isRedirect()) {
        long size = slot.item.size();
        if (blobs > 0 && (blobs == MAX_BLOBS_PER_CLUSTER || clusterBytes + size > CLUSTER_TARGET_BYTES)) {
          clusterPos += clusterSize(blobs, clusterBytes);
          cluster++;
          blobs = 0;
          clusterBytes = 0;
        }
        slot.cluster = cluster;
        slot.blob = blobs++;
        slot.clusterStart = clusterPos;
        clusterBytes += size;
      }
      return slot;
    }

    @Override
    public void close() throws IOException {
      if (cursor != null) {
        cursor.close();
      }
    }
  }

  /**
   * At most {@link #MAX_CHECKPOINTS} resume points, every {@code stride}-th key; when full, every other one is
   * dropped and the stride doubles, so memory stays constant and a seek walks at most about 2 N / 1024 entries.
   */
  private static final class Checkpoints {
    private final List<Long> keys = new ArrayList<>();
    private final List<Checkpoint> points = new ArrayList<>();
    private long stride = 1;

    void offer(long key, Checkpoint point) {
      if (key % stride != 0 || !keys.isEmpty() && keys.get(keys.size() - 1).longValue() == key) {
        return;
      }
      keys.add(key);
      points.add(point);
      if (keys.size() > MAX_CHECKPOINTS) {
        stride *= 2;
        int kept = 0;
        for (int i = 0; i < keys.size(); i++) {
          if (keys.get(i) % stride == 0) {
            keys.set(kept, keys.get(i));
            points.set(kept, points.get(i));
            kept++;
          }
        }
        keys.subList(kept, keys.size()).clear();
        points.subList(kept, points.size()).clear();
      }
    }

    Checkpoint floorByKey(long key) {
      int i = java.util.Collections.binarySearch(keys, key);
      return points.get(i >= 0 ? i : Math.max(0, -i - 2));
    }

    Checkpoint floorByPosition(long position, boolean cluster) {
      int low = 0;
      int high = points.size() - 1;
      int found = 0;
      while (low <= high) {
        int mid = (low + high) >>> 1;
        Checkpoint p = points.get(mid);
        long at = cluster ? p.clusterStart : p.direntPos;
        if (at <= position) {
          found = mid;
          low = mid + 1;
        } else {
          high = mid - 1;
        }
      }
      return points.get(found);
    }
  }

  // ---------------------------------------------------------------- little-endian

  private static void put16(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >> 8);
  }

  private static void put32(byte[] b, int at, long v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >> (8 * i));
    }
  }

  private static void put64(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >> (8 * i));
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no MD5", e);
    }
  }
}
