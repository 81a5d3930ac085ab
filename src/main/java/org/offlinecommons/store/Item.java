package org.offlinecommons.store;

/**
 * A navigable document of a pack, in reading order. Most items are a whole file; a notes file
 * yields one item per entry, told apart by {@code entry} (null for whole files).
 * {@code timestamp} is ISO-8601 with offset, for dated notes entries only.
 */
public record Item(int position, String path, Integer entry, String title, String kind, String timestamp) {
}
