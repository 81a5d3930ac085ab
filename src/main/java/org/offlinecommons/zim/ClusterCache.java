package org.offlinecommons.zim;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded small compressed clusters, least recently used first out, within a total of bytes: serving
 * many entries of one cluster decodes it once. Owned by one {@link ZimArchive}.
 */
final class ClusterCache {
  private final long capacity;
  private final LinkedHashMap<Integer, byte[]> clusters = new LinkedHashMap<>(16, 0.75f, true);
  private long used;
  /** Clusters found too large to keep, so that their offset tables are not decoded again on every read. */
  private final LinkedHashMap<Integer, Boolean> tooLarge = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
      return size() > TOO_LARGE_REMEMBERED;
    }
  };
  private static final int TOO_LARGE_REMEMBERED = 256;

  ClusterCache(long capacity) {
    this.capacity = capacity;
  }

  boolean enabled() {
    return capacity > 0;
  }

  synchronized byte[] get(int cluster) {
    return clusters.get(cluster);
  }

  synchronized void put(int cluster, byte[] decoded) {
    if (decoded.length > capacity) {
      return;
    }
    byte[] old = clusters.put(cluster, decoded);
    used += decoded.length - (old == null ? 0 : old.length);
    Iterator<Map.Entry<Integer, byte[]>> eldest = clusters.entrySet().iterator();
    while (used > capacity && eldest.hasNext()) {
      Map.Entry<Integer, byte[]> e = eldest.next();
      if (e.getKey() == cluster) {
        continue;
      }
      used -= e.getValue().length;
      eldest.remove();
    }
  }

  synchronized boolean isTooLarge(int cluster) {
    return tooLarge.containsKey(cluster);
  }

  synchronized void markTooLarge(int cluster) {
    tooLarge.put(cluster, Boolean.TRUE);
  }

  synchronized long usedBytes() {
    return used;
  }
}
