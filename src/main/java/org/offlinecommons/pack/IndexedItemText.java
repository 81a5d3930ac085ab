package org.offlinecommons.pack;

import org.offlinecommons.store.IndexedText;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.SearchIndex;

/**
 * The text an item was indexed with, extracted again from its stored file the way the importer
 * extracted it, for search snippets (found by the store through {@link java.util.ServiceLoader}).
 */
public final class IndexedItemText implements IndexedText {

    @Override
    public boolean reads(Item item, long fileSize) {
        return ItemKind.fromId(item.kind()).map(ItemKind::isText).orElse(false)
                && fileSize <= ItemDeriver.MAX_READ_BYTES;
    }

    @Override
    public String text(Item item, byte[] content) {
        return ItemIndexer.indexedText(item, content);
    }

    @Override
    public SearchIndex.Text indexed(Item item, byte[] content) {
        return ItemIndexer.indexedFields(item, content);
    }
}
