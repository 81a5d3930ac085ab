package org.offlinecommons.zim;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An open ZIM file: header, MIME types, entries by index, path or title, blobs streamed, metadata, and a
 * full {@link #check} of the file. Opening reads the header and checks that its tables lie inside the file;
 * nothing is held in memory beyond the MIME list, a few read windows and a bounded {@link ClusterCache}.
 * Thread-safe for reading.
 */
public final class ZimArchive implements AutoCloseable {
  static final String LISTING_V1 = "listing/titleOrdered/v1";
  static final String OLD_FAVICON = "favicon";

  /** The title listing a file offers for its front articles. */
  public enum TitleListing {
    /** {@code X/listing/titleOrdered/v1}: the front articles only, by title (libzim 7 on). */
    V1_FRONT_ARTICLES,
    /** Only the header's v0 title pointer list: every entry of every namespace, by title. */
    V0_ALL_ENTRIES,
    NONE
  }

  /** Receives entries one at a time. */
  @FunctionalInterface
  public interface EntryVisitor {
    void entry(ZimEntry entry) throws IOException;
  }

  /** Receives every blob of every cluster, in file order; it may read {@code content} or leave it. */
  @FunctionalInterface
  public interface BlobVisitor {
    void blob(int cluster, int blob, BlobStream content) throws IOException;
  }

  private final ZimSource source;
  private final ZimLimits limits;
  private final ZimHeader header;
  private final long dataEnd;
  private final MimeTypeList mimeTypes;
  private final NamespaceScheme scheme;
  private final ClusterCache cache;
  private final ZimEntry listingV1;

  private ZimArchive(ZimSource source, ZimLimits limits) throws IOException {
    this.source = source;
    this.limits = limits;
    this.header = ZimHeader.read(source, limits);
    this.dataEnd = header.dataEnd(source.size());
    this.scheme = NamespaceScheme.of(header);
    this.cache = new ClusterCache(limits.clusterCacheBytes());
    if (header.clusterCount() > 0) {
      clusterStart(0);
      clusterStart((int) header.clusterCount() - 1);
    }
    this.mimeTypes = MimeTypeList.read(source, header, mimeListUpperLimit(), limits);
    this.listingV1 = find(NamespaceScheme.INDEX, LISTING_V1).filter(ZimEntry::isContent).orElse(null);
  }

  /** Opens a ZIM file, or the parts of a split one ({@code X.zimaa}, or {@code X.zim} with only parts beside it). */
  public static ZimArchive open(Path path) throws IOException {
    return open(path, ZimLimits.DEFAULT);
  }

  public static ZimArchive open(Path path, ZimLimits limits) throws IOException {
    List<Path> parts = ZimSource.partsOf(path);
    if (parts.isEmpty() || !Files.isRegularFile(parts.get(0))) {
      throw new ZimFormatException(path.getFileName() + ": no such file, and no split parts (.zimaa, ...) beside it");
    }
    return open(parts, limits);
  }

  /** Opens the given files as one ZIM file, concatenated in this order. */
  public static ZimArchive open(List<Path> parts, ZimLimits limits) throws IOException {
    ZimSource source = ZimSource.open(parts);
    try {
      return new ZimArchive(source, limits);
    } catch (IOException | RuntimeException e) {
      source.close();
      throw e;
    }
  }

  /** The file's name, for messages (for a split file, its name without the part suffix). */
  public String name() {
    return source.name();
  }

  public ZimHeader header() {
    return header;
  }

  public ZimLimits limits() {
    return limits;
  }

  public NamespaceScheme namespaceScheme() {
    return scheme;
  }

  public List<String> mimeTypes() {
    return mimeTypes.all();
  }

  public int entryCount() {
    return (int) header.entryCount();
  }

  public int clusterCount() {
    return (int) header.clusterCount();
  }

  /** The file's size in bytes (all parts). */
  public long size() {
    return source.size();
  }

  // ---------------------------------------------------------------- entries

  /** The entry at {@code index} in path order, checked: its MIME index, cluster and redirect target are in range. */
  public ZimEntry entry(int index) throws IOException {
    return toEntry(index, dirent(index));
  }

  Dirent dirent(long index) throws IOException {
    if (index < 0 || index >= header.entryCount()) {
      throw source.problem("entry " + index + " does not exist (the file has " + header.entryCount() + ")");
    }
    long offset = direntOffset(index);
    return Dirent.read(source, offset, dataEnd, limits, "entry " + index);
  }

  long direntOffset(long index) throws IOException {
    long offset = source.u64(header.pathPtrPos() + 8 * index, "the path pointer list");
    if (offset < header.mimeListPos() || offset > dataEnd - Dirent.MIN_SIZE) {
      throw source.problem("the path pointer list: entry " + index + " points outside the file (to "
          + Long.toUnsignedString(offset) + ")");
    }
    return offset;
  }

  ZimEntry toEntry(int index, Dirent d) throws ZimFormatException {
    String mime = "";
    if (d.isContent()) {
      if (d.mime() >= mimeTypes.size()) {
        throw source.problem("entry " + index + " " + d.describe() + " has MIME type number " + d.mime()
            + ", but the MIME type list has only " + mimeTypes.size());
      }
      mime = mimeTypes.get(d.mime());
      if (d.cluster() >= header.clusterCount()) {
        throw source.problem("entry " + index + " " + d.describe() + " is in cluster " + d.cluster()
            + ", but the file has only " + header.clusterCount() + " clusters");
      }
      if (d.blob() > Integer.MAX_VALUE) {
        throw source.problem("entry " + index + " " + d.describe() + " asks for blob " + d.blob() + ", out of range");
      }
    }
    if (d.isRedirect() && d.redirect() >= header.entryCount()) {
      throw source.problem("entry " + index + " " + d.describe() + " redirects to entry " + d.redirect()
          + ", but the file has only " + header.entryCount() + " entries");
    }
    String title = Bytes.utf8(d.title().length == 0 ? d.path() : d.title());
    return new ZimEntry(index, d.namespace(), Bytes.utf8(d.path()), title, d.kind(), mime, (int) d.cluster(),
        (int) d.blob(), (int) d.redirect());
  }

  /** Every entry, in path order (namespace, then path, by bytes), read one at a time. */
  public void forEachEntry(EntryVisitor visitor) throws IOException {
    for (int i = 0; i < entryCount(); i++) {
      visitor.entry(entry(i));
    }
  }

  /** The entry at {@code namespace}/{@code path}, found by binary search of the path pointer list. */
  public Optional<ZimEntry> find(char namespace, String path) throws IOException {
    byte[] key = (namespace + "/" + path).getBytes(StandardCharsets.UTF_8);
    long low = 0;
    long high = header.entryCount() - 1;
    while (low <= high) {
      long mid = (low + high) >>> 1;
      Dirent d = dirent(mid);
      int c = Bytes.compare(d.longPath(), key);
      if (c == 0) {
        return Optional.of(toEntry((int) mid, d));
      }
      if (c < 0) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return Optional.empty();
  }

  /** Follows redirects to a non-redirect entry; a chain longer than the limit is reported as a loop. */
  public ZimEntry resolve(ZimEntry entry) throws IOException {
    ZimEntry at = entry;
    for (int hops = 0; at.isRedirect(); hops++) {
      if (hops == limits.maxRedirectHops()) {
        throw source.problem("the redirects from " + Bytes.quote(entry.longPath()) + " do not reach content within "
            + limits.maxRedirectHops() + " steps (a redirect loop)");
      }
      at = entry(at.redirectIndex());
    }
    return at;
  }

  /** The header's main page, as stored (in the new scheme often a redirect: resolve it). */
  public Optional<ZimEntry> mainEntry() throws IOException {
    return header.hasMainPage() ? Optional.of(entry((int) header.mainPage())) : Optional.empty();
  }

  // ---------------------------------------------------------------- blobs

  /** Streams the content of a content entry (redirects must be resolved first). */
  public BlobStream openBlob(ZimEntry entry) throws IOException {
    if (!entry.isContent()) {
      throw source.problem(Bytes.quote(entry.longPath()) + " is a " + entry.kind().name().toLowerCase()
          + ", not content");
    }
    Cluster cluster = cluster(entry.cluster());
    if (cluster.compression() != ClusterCompression.NONE && cache.enabled()
        && !cache.isTooLarge(entry.cluster())) {
      byte[] decoded = cache.get(entry.cluster());
      if (decoded == null) {
        decoded = decodeWhole(cluster);
        if (decoded != null) {
          cache.put(entry.cluster(), decoded);
        } else {
          cache.markTooLarge(entry.cluster());
        }
      }
      if (decoded != null) {
        return blobOf(cluster, decoded, entry.blob());
      }
    }
    return cluster.openBlob(entry.blob(), header.entryCount());
  }

  /** The content of a content entry, if at most {@link ZimLimits#maxInMemoryBlobBytes()} long. */
  public byte[] readBlob(ZimEntry entry) throws IOException {
    return readBlob(entry, limits.maxInMemoryBlobBytes());
  }

  private byte[] readBlob(ZimEntry entry, int max) throws IOException {
    try (BlobStream in = openBlob(entry)) {
      if (in.size() > max) {
        throw source.problem(Bytes.quote(entry.longPath()) + " is " + in.size()
            + " bytes, more than the limit of " + max + " for reading it whole");
      }
      return in.readAllBytes();
    }
  }

  /**
   * Every blob of every cluster, in file order, each cluster decoded once from start to end: the way to read
   * a whole file fast. Map blobs to entries with {@link ZimEntry#cluster()} and {@link ZimEntry#blob()}.
   */
  public void forEachBlob(BlobVisitor visitor) throws IOException {
    for (int c = 0; c < clusterCount(); c++) {
      Cluster cluster = cluster(c);
      // Two decoders over the same cluster: one walks the offset table, the other the blobs, so that the
      // table (as long as the file has entries, in a hostile file) is never held in memory.
      try (InputStream table = cluster.data(); InputStream data = cluster.data()) {
        long first = cluster.readOffset(table, "the offset of its first blob");
        long count = cluster.blobCount(first, header.entryCount());
        cluster.skipFully(data, first, "its first blob");
        long from = first;
        for (long b = 0; b < count; b++) {
          long to = cluster.readOffset(table, "the end of blob " + b);
          cluster.checkBlob(b, from, to, first);
          BlobStream blob = new BlobStream(cluster, new KeepOpen(data), to - from, b);
          visitor.blob(c, (int) b, blob);
          cluster.skipFully(blob, blob.remaining(), "blob " + b + " ends");
          from = to;
        }
      }
    }
  }

  private BlobStream blobOf(Cluster cluster, byte[] decoded, long blob) throws ZimFormatException {
    int w = cluster.offsetWidth();
    long first = offsetIn(decoded, 0, w);
    long count = cluster.blobCount(first, header.entryCount());
    cluster.checkIndex(blob, count);
    long from = offsetIn(decoded, blob, w);
    long to = offsetIn(decoded, blob + 1, w);
    cluster.checkBlob(blob, from, to, first);
    if (to > decoded.length) {
      throw source.problem(cluster.name() + " ends before blob " + blob + " does");
    }
    return new BlobStream(cluster, new ByteArrayInputStream(decoded, (int) from, (int) (to - from)), to - from, blob);
  }

  private static long offsetIn(byte[] decoded, long i, int w) {
    int at = (int) (i * w);
    return w == 8 ? Bytes.u64(decoded, at) : Bytes.u32(decoded, at);
  }

  /** The whole decoded cluster if it is small enough for the cache, else null (it will be streamed). */
  private byte[] decodeWhole(Cluster cluster) throws IOException {
    int max = limits.maxCachedClusterBytes();
    try (InputStream in = cluster.data()) {
      long first = cluster.readOffset(in, "the offset of its first blob");
      long count = cluster.blobCount(first, header.entryCount());
      if (first > max) {
        return null;
      }
      byte[] table = new byte[(int) first];
      int w = cluster.offsetWidth();
      System.arraycopy(w == 8 ? le64(first) : le32(first), 0, table, 0, w);
      byte[] rest = new byte[(int) first - w];
      cluster.readFully(in, rest, "its blob offset table ends");
      System.arraycopy(rest, 0, table, w, rest.length);
      long end = offsetIn(table, count, w);
      if (end < first || end > max) {
        return null;
      }
      if (count > 0) {
        cluster.checkBlob(count - 1, offsetIn(table, count - 1, w), end, first);
      }
      byte[] decoded = java.util.Arrays.copyOf(table, (int) end);
      cluster.readFully(in, decoded, table.length, decoded.length - table.length, "its last blob ends");
      return decoded;
    }
  }

  private static byte[] le32(long v) {
    return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
  }

  private static byte[] le64(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >> (8 * i));
    }
    return b;
  }

  Cluster cluster(int index) throws IOException {
    if (index < 0 || index >= header.clusterCount()) {
      throw source.problem("cluster " + index + " does not exist (the file has " + header.clusterCount() + ")");
    }
    return Cluster.at(source, index, clusterStart(index), clusterEnd(index), limits);
  }

  long clusterStart(int index) throws IOException {
    long start = source.u64(header.clusterPtrPos() + 8L * index, "the cluster pointer list");
    if (start < header.mimeListPos() || start >= dataEnd) {
      throw source.problem("the cluster pointer list: cluster " + index + " starts at "
          + Long.toUnsignedString(start) + ", outside the file's data (which ends at " + dataEnd + ")");
    }
    return start;
  }

  /** Where a cluster ends: the next cluster, or for the last one the first table (or the checksum) after it. */
  long clusterEnd(int index) throws IOException {
    long start = clusterStart(index);
    if (index + 1 < header.clusterCount()) {
      long next = clusterStart(index + 1);
      if (next <= start) {
        throw source.problem("the cluster offsets are out of order: cluster " + (index + 1) + " starts at " + next
            + ", not after cluster " + index + " at " + start);
      }
      return next;
    }
    long end = dataEnd;
    // Not the v0 title list: libzim 7 writes it as the blob of an entry, inside the last cluster.
    for (long table : new long[] {header.pathPtrPos(), header.clusterPtrPos()}) {
      if (table > start && table < end) {
        end = table;
      }
    }
    return end;
  }

  private long mimeListUpperLimit() throws IOException {
    long limit = Math.min(header.pathPtrPos(), header.clusterPtrPos());
    if (header.hasTitleListV0()) {
      limit = Math.min(limit, header.titlePtrPos());
    }
    if (header.entryCount() > 0) {
      limit = Math.min(limit, direntOffset(0));
      limit = Math.min(limit, clusterStart(0));
    }
    return limit;
  }

  // ---------------------------------------------------------------- titles, metadata

  public TitleListing titleListing() {
    if (listingV1 != null) {
      return TitleListing.V1_FRONT_ARTICLES;
    }
    return header.hasTitleListV0() ? TitleListing.V0_ALL_ENTRIES : TitleListing.NONE;
  }

  /**
   * The entries of the best title listing ({@link #titleListing()}), in title order, read one at a time:
   * the front articles (v1), or else every entry (v0: callers keep the user content they want).
   */
  public void forEachByTitle(EntryVisitor visitor) throws IOException {
    switch (titleListing()) {
      case V1_FRONT_ARTICLES -> {
        try (BlobStream list = openBlob(listingV1)) {
          if (list.size() % 4 != 0) {
            throw source.problem("the front article listing is " + list.size() + " bytes, not a multiple of 4");
          }
          byte[] b = new byte[4];
          for (long i = 0; i < list.size() / 4; i++) {
            list.readNBytes(b, 0, 4);
            visitor.entry(entry(titleIndexEntry(Bytes.u32(b, 0), "front article listing", i)));
          }
        }
      }
      case V0_ALL_ENTRIES -> {
        for (long i = 0; i < header.entryCount(); i++) {
          long index = source.u32(header.titlePtrPos() + 4 * i, "the title pointer list");
          visitor.entry(entry(titleIndexEntry(index, "title pointer list", i)));
        }
      }
      case NONE -> { }
    }
  }

  /** Receives entry indexes. */
  @FunctionalInterface
  public interface IndexVisitor {
    void index(int entryIndex) throws IOException;
  }

  /**
   * The entry indexes of the front-article listing ({@code X/listing/titleOrdered/v1}), in title order, without
   * reading their dirents (an importer only marks them); nothing when the file has no such listing.
   */
  public void forEachFrontArticleIndex(IndexVisitor visitor) throws IOException {
    if (listingV1 == null) {
      return;
    }
    try (BlobStream list = openBlob(listingV1)) {
      if (list.size() % 4 != 0) {
        throw source.problem("the front article listing is " + list.size() + " bytes, not a multiple of 4");
      }
      byte[] b = new byte[4];
      for (long i = 0; i < list.size() / 4; i++) {
        list.readNBytes(b, 0, 4);
        visitor.index(titleIndexEntry(Bytes.u32(b, 0), "front article listing", i));
      }
    }
  }

  Optional<ZimEntry> listingV1() {
    return Optional.ofNullable(listingV1);
  }

  int titleIndexEntry(long index, String list, long position) throws ZimFormatException {
    if (index >= header.entryCount()) {
      throw source.problem("the " + list + " names entry " + index + " at position " + position
          + ", but the file has only " + header.entryCount() + " entries");
    }
    return (int) index;
  }

  /** A metadata value ({@code M/name}, redirects followed) as text, if present. */
  public Optional<String> metadata(String name) throws IOException {
    Optional<ZimEntry> entry = find(NamespaceScheme.METADATA, name);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    ZimEntry content = resolve(entry.get());
    if (!content.isContent()) {
      return Optional.empty();
    }
    return Optional.of(new String(readBlob(content, limits.maxMetadataBytes()), StandardCharsets.UTF_8));
  }

  /** All the usual metadata; missing values are empty. */
  public ZimMetadata metadata() throws IOException {
    return new ZimMetadata(meta(ZimMetadata.NAME), meta(ZimMetadata.TITLE), meta(ZimMetadata.DESCRIPTION),
        meta(ZimMetadata.LONG_DESCRIPTION), meta(ZimMetadata.LANGUAGE), meta(ZimMetadata.CREATOR),
        meta(ZimMetadata.PUBLISHER), meta(ZimMetadata.DATE), meta(ZimMetadata.LICENSE), meta(ZimMetadata.TAGS),
        meta(ZimMetadata.FLAVOUR), meta(ZimMetadata.SOURCE), meta(ZimMetadata.SCRAPER));
  }

  private String meta(String name) throws IOException {
    return metadata(name).orElse("");
  }

  /** The 48x48 illustration entry: {@code M/Illustration_48x48@1}, or in old files {@code -/favicon}; resolved. */
  public Optional<ZimEntry> illustrationEntry() throws IOException {
    Optional<ZimEntry> entry = find(NamespaceScheme.METADATA, ZimMetadata.ILLUSTRATION_48);
    if (entry.isEmpty() && scheme == NamespaceScheme.OLD) {
      entry = find(NamespaceScheme.OLD_LAYOUT, OLD_FAVICON);
    }
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    ZimEntry content = resolve(entry.get());
    return content.isContent() ? Optional.of(content) : Optional.empty();
  }

  /** The illustration's bytes (a PNG), at most {@link ZimLimits#maxMetadataBytes()}. */
  public Optional<byte[]> illustration() throws IOException {
    Optional<ZimEntry> entry = illustrationEntry();
    return entry.isEmpty() ? Optional.empty() : Optional.of(readBlob(entry.get(), limits.maxMetadataBytes()));
  }

  // ---------------------------------------------------------------- checks

  /**
   * Walks the whole file and checks every structural rule (see {@link ZimChecker}), then the MD5 checksum:
   * call it before storing anything from the file. Throws the first problem found.
   */
  public void check(ZimChecker.Progress progress) throws IOException {
    new ZimChecker(this, source, progress).check();
  }

  public void check() throws IOException {
    check(ZimChecker.Progress.NONE);
  }

  /** Only the MD5 checksum of the whole file, streamed. */
  public void verifyChecksum() throws IOException {
    new ZimChecker(this, source, ZimChecker.Progress.NONE).checkChecksum();
  }

  long dataEnd() {
    return dataEnd;
  }

  long cachedBytes() {
    return cache.usedBytes();
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  /** Lets a visitor close its blob without closing the cluster's decoder under it. */
  private static final class KeepOpen extends FilterInputStream {
    KeepOpen(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
    }
  }
}
