package org.offlinecommons.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one cache type: a bounded least-recently-used map whose entries are each valid for one
 * {@link Library#generation()} (any change to the library makes them stale). Content named by
 * its hash never goes stale: give it {@link #TIMELESS}. Each kind of answer has one owner, and
 * caches wrap one another in layers (rendered JSON over search results), never side by side.
 *
 * @param <K> what an answer is asked by (a record)
 * @param <V> the answer
 */
public final class GenerationCache<K, V> {

    /** The generation of content that cannot change (named by its hash, or by file, size and time). */
    public static final long TIMELESS = Long.MIN_VALUE;

    private record Entry<V>(long generation, V value) {
    }

    private final Map<K, Entry<V>> entries;

    public GenerationCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("A cache holds at least one answer");
        }
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The answer kept for {@code key} at {@code generation}, or null (a stale one is dropped). */
    public synchronized V get(K key, long generation) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (e.generation() != generation) {
            entries.remove(key);
            return null;
        }
        return e.value();
    }

    public synchronized void put(K key, long generation, V value) {
        entries.put(key, new Entry<>(generation, value));
    }

    /**
     * The kept answer, or one computed now (outside the lock: two threads may both compute the
     * same answer, and the later one is kept) and kept.
     */
    public V get(K key, long generation, Supplier<V> compute) {
        V known = get(key, generation);
        if (known != null) {
            return known;
        }
        V value = compute.get();
        if (value != null) {
            put(key, generation, value);
        }
        return value;
    }

    public synchronized int size() {
        return entries.size();
    }
}
