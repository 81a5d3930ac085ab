package org.offlinecommons.zim;

/**
 * Caps on what a ZIM file may claim, so that a hostile file cannot make the reader allocate, loop or
 * decompress without bound. Memory used by one open archive is bounded by these figures, never by the
 * size of the file.
 *
 * @param maxEntries entries (dirents) a file may hold
 * @param maxMimeTypes entries in the MIME type list
 * @param maxMimeListBytes bytes of the MIME type list
 * @param maxDirentBytes bytes of one directory entry (path, title and parameters together)
 * @param maxBlobBytes bytes of one blob (one entry's content); larger blobs are refused
 * @param maxInMemoryBlobBytes bytes {@link ZimArchive#readBlob} returns as an array; larger ones must be streamed
 * @param maxMetadataBytes bytes of one metadata value read as text or as the illustration
 * @param maxCompressionRatio decompressed cluster size a compressed cluster may claim, as a multiple of its stored size
 * @param maxRedirectHops redirects followed before a chain is called a loop
 * @param clusterCacheBytes total decompressed bytes kept by the cluster cache of one archive (0: no cache)
 * @param maxCachedClusterBytes decompressed size of the largest cluster the cache keeps; larger clusters are streamed
 * @param xzMemoryLimitKiB memory the xz decoder may use for one cluster, in KiB
 * @param zstdWindowLogMax the largest zstd window (as a power of two) a cluster may ask for
 */
public record ZimLimits(
    long maxEntries,
    int maxMimeTypes,
    int maxMimeListBytes,
    int maxDirentBytes,
    long maxBlobBytes,
    int maxInMemoryBlobBytes,
    int maxMetadataBytes,
    long maxCompressionRatio,
    int maxRedirectHops,
    long clusterCacheBytes,
    int maxCachedClusterBytes,
    int xzMemoryLimitKiB,
    int zstdWindowLogMax) {

  /** Room for a full Wikipedia and its videos, with a small heap (a cache of 16 MB). */
  public static final ZimLimits DEFAULT = new ZimLimits(
      Integer.MAX_VALUE - 1L, 4096, 64 * 1024, 64 * 1024, 4L << 30, 64 << 20, 1 << 20, 2000, 50,
      16L << 20, 8 << 20, 256 * 1024, 27);

  public ZimLimits {
    if (maxEntries < 0 || maxEntries > Integer.MAX_VALUE - 1L) {
      throw new IllegalArgumentException("maxEntries must be between 0 and " + (Integer.MAX_VALUE - 1L));
    }
    if (maxMimeTypes < 1 || maxMimeListBytes < 1 || maxDirentBytes < 16 || maxBlobBytes < 0
        || maxInMemoryBlobBytes < 0 || maxMetadataBytes < 0 || maxCompressionRatio < 1 || maxRedirectHops < 1
        || clusterCacheBytes < 0 || maxCachedClusterBytes < 0 || xzMemoryLimitKiB < 1
        || zstdWindowLogMax < 10 || zstdWindowLogMax > 31) {
      throw new IllegalArgumentException("a ZIM limit is out of range: " + this);
    }
  }

  /** The same limits with another blob cap (tests use small ones). */
  public ZimLimits withMaxBlobBytes(long bytes) {
    return new ZimLimits(maxEntries, maxMimeTypes, maxMimeListBytes, maxDirentBytes, bytes,
        (int) Math.min(maxInMemoryBlobBytes, bytes), maxMetadataBytes, maxCompressionRatio, maxRedirectHops,
        clusterCacheBytes, maxCachedClusterBytes, xzMemoryLimitKiB, zstdWindowLogMax);
  }

  /** The same limits with another cluster cache: {@code total} bytes, clusters of at most {@code perCluster}. */
  public ZimLimits withClusterCache(long total, int perCluster) {
    return new ZimLimits(maxEntries, maxMimeTypes, maxMimeListBytes, maxDirentBytes, maxBlobBytes,
        maxInMemoryBlobBytes, maxMetadataBytes, maxCompressionRatio, maxRedirectHops, total, perCluster,
        xzMemoryLimitKiB, zstdWindowLogMax);
  }
}
