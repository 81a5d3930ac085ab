package org.offlinecommons.pack;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.offlinecommons.notes.NoteEntry;
import org.offlinecommons.notes.NotesParser;
import org.offlinecommons.notes.NotesRenderer;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.NewItem;

/**
 * Turns a manifest's items into the library's items: numbered in reading order, with the text
 * search will find them by, and each notes file split into one item per dated entry.
 */
final class ItemIndexer {

    private ItemIndexer() {
    }

    /**
     * Hands each item to {@code sink} as soon as it is read, so that a caller can store the text
     * in batches instead of holding a large pack's text in memory. Returns the number of items.
     */
    static int index(PackManifest manifest, List<PackManifest.ItemEntry> items, ItemDeriver.Source source,
                     Consumer<NewItem> sink) throws IOException {
        java.util.Map<String, PackManifest.FileEntry> files = new java.util.HashMap<>();
        manifest.files().forEach(f -> files.put(f.path(), f));
        Counter out = new Counter(sink);
        for (PackManifest.ItemEntry it : items) {
            PackManifest.FileEntry file = files.get(it.path());
            ItemKind kind = it.kind();
            if (!kind.isText() || file.size() > ItemDeriver.MAX_READ_BYTES) {
                out.add(new NewItem(item(out.size(), it.path(), null, titleOr(it), kind, null), it.title()));
                continue;
            }
            byte[] bytes = source.read(file, ItemDeriver.MAX_READ_BYTES);
            if (kind == ItemKind.NOTES) {
                String text = DocumentText.decode(bytes);
                if (NotesParser.isNotes(text)) {
                    for (NoteEntry e : NotesParser.parse(text)) {
                        String body = NotesRenderer.plainText(e.body());
                        out.add(new NewItem(item(out.size(), it.path(), e.index(), e.title(), ItemKind.NOTES,
                                e.isoTimestamp()), body));
                    }
                    continue;
                }
                // Declared as notes but holds no dated entry: still readable, as plain text.
                kind = ItemKind.TEXT;
            }
            DocumentText.Extract extract = DocumentText.extract(kind, bytes);
            String title = it.title().isEmpty()
                    ? (extract.title().isEmpty() ? DocumentText.titleFromPath(it.path()) : extract.title())
                    : it.title();
            out.add(new NewItem(item(out.size(), it.path(), null, title, kind, null), extract.text()));
        }
        return out.size();
    }

    /** Numbers items in the order they are handed on. */
    private static final class Counter {
        private final Consumer<NewItem> sink;
        private int count;

        Counter(Consumer<NewItem> sink) {
            this.sink = sink;
        }

        void add(NewItem item) {
            sink.accept(item);
            count++;
        }

        int size() {
            return count;
        }
    }

    private static String titleOr(PackManifest.ItemEntry it) {
        return it.title().isEmpty() ? DocumentText.titleFromPath(it.path()) : it.title();
    }

    private static Item item(int position, String path, Integer entry, String title, ItemKind kind, String timestamp) {
        return new Item(position, path, entry, title, kind.id(), timestamp);
    }
}
