package org.offlinecommons.store;

/**
 * One search result. {@code snippet} is plain text from the item in which matched words are
 * wrapped in {@link SearchIndex#MARK_START} and {@link SearchIndex#MARK_END}; callers escape the
 * text and turn the markers into highlighting.
 */
public record SearchHit(String packId, String packTitle, Item item, String snippet) {
}
