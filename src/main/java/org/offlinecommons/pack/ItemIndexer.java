package org.offlinecommons.pack;

import java.util.ArrayList;
import java.util.List;
import org.offlinecommons.notes.NoteEntry;
import org.offlinecommons.notes.NotesParser;
import org.offlinecommons.notes.NotesRenderer;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.NewItem;
import org.offlinecommons.store.SearchIndex;

/**
 * Turns a manifest's items into the library's items, with the text
 * search will find them by, and each notes file split into one item per dated entry.
 */
final class ItemIndexer {

    private ItemIndexer() {
    }

    /** Whether {@link #items} needs the file's bytes for this item. */
    static boolean reads(PackManifest.ItemEntry it, PackManifest.FileEntry file) {
        return it.kind().isText() && file.size() <= ItemDeriver.MAX_READ_BYTES;
    }

    /**
     * The library items one manifest item becomes (several for a notes file), with their search
     * text, all at position 0: the caller numbers them in reading order. {@code bytes} is the
     * file's content when {@link #reads} says it is needed, else ignored.
     */
    static List<NewItem> items(PackManifest.ItemEntry it, PackManifest.FileEntry file, byte[] bytes) {
        ItemKind kind = it.kind();
        if (!reads(it, file)) {
            return List.of(new NewItem(item(it.path(), null, titleOr(it), kind, null), it.title()));
        }
        if (kind == ItemKind.NOTES) {
            String text = DocumentText.decode(bytes);
            if (NotesParser.isNotes(text)) {
                List<NewItem> out = new ArrayList<>();
                for (NoteEntry e : NotesParser.parse(text)) {
                    String body = NotesRenderer.plainText(e.body());
                    out.add(new NewItem(item(it.path(), e.index(), e.title(), ItemKind.NOTES, e.isoTimestamp()), body));
                }
                return out;
            }
            // Declared as notes but holds no dated entry: still readable, as plain text.
            kind = ItemKind.TEXT;
        }
        DocumentText.Extract extract = DocumentText.extract(kind, bytes);
        String title = it.title().isEmpty()
                ? (extract.title().isEmpty() ? DocumentText.titleFromPath(it.path()) : extract.title())
                : it.title();
        return List.of(new NewItem(item(it.path(), null, title, kind, null), extract.text(), extract.headings(),
                extract.listing() || DocumentText.isIndexPath(it.path())));
    }

    /**
     * The search text {@link #items} gave a library item, worked out again from its file's bytes
     * ({@code null} when the item's file was not read for it): search snippets are cut from it.
     */
    static String indexedText(Item item, byte[] bytes) {
        ItemKind kind = ItemKind.fromId(item.kind()).orElse(null);
        if (kind == null || !kind.isText() || bytes == null) {
            return item.title();
        }
        if (kind == ItemKind.NOTES) {
            for (NoteEntry e : NotesParser.parse(DocumentText.decode(bytes))) {
                if (item.entry() != null && e.index() == item.entry()) {
                    return NotesRenderer.plainText(e.body());
                }
            }
            return "";
        }
        return DocumentText.extract(kind, bytes).text();
    }

    /**
     * All {@link #items} gave a library item for the index (title, headings, text, listing),
     * worked out again from its file's bytes: for rebuilding the index.
     */
    static SearchIndex.Text indexedFields(Item item, byte[] bytes) {
        ItemKind kind = ItemKind.fromId(item.kind()).orElse(null);
        if (kind == null || !kind.isText() || bytes == null || kind == ItemKind.NOTES) {
            return new SearchIndex.Text(item.title(), indexedText(item, bytes));
        }
        DocumentText.Extract extract = DocumentText.extract(kind, bytes);
        return new SearchIndex.Text(item.title(), extract.headings(), extract.text(),
                extract.listing() || DocumentText.isIndexPath(item.path()));
    }

    private static String titleOr(PackManifest.ItemEntry it) {
        return it.title().isEmpty() ? DocumentText.titleFromPath(it.path()) : it.title();
    }

    private static Item item(String path, Integer entry, String title, ItemKind kind, String timestamp) {
        return new Item(0, path, entry, title, kind.id(), timestamp);
    }
}
