package org.offlinecommons.store;

/**
 * Gives back the text an item was indexed with, worked out again from its stored file: the
 * search index keeps no copy of it, and a search needs it only for the few hits it shows, to cut
 * their snippets. The layer that indexes items provides it (it must extract exactly what it
 * indexed); this layer finds it with {@link java.util.ServiceLoader}, since it cannot depend on
 * that layer. Without one, a hit's snippet is its title.
 */
public interface IndexedText {

    /** Whether {@link #text} needs the bytes of the item's file, which has {@code fileSize} bytes. */
    boolean reads(Item item, long fileSize);

    /** The item's indexed text; {@code content} is its file's bytes, or null when {@link #reads} said no. */
    String text(Item item, byte[] content);

    /**
     * All the item was indexed with (title, headings, text, whether it is a listing), for
     * rebuilding the index; the default knows only its text.
     */
    default SearchIndex.Text indexed(Item item, byte[] content) {
        return new SearchIndex.Text(item.title(), text(item, content));
    }
}
