package org.offlinecommons.pack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.NewItem;
import org.offlinecommons.store.SearchIndex;
import org.offlinecommons.store.WriteBehind;

/**
 * A pack's items and their search rows, worked out from each document while its bytes are at
 * hand (an import reads them from the zip, a sync verifies them) instead of reading every
 * document back from the library at the end, and written to the search index in batches as
 * the pack is staged, so that publishing it is one short transaction.
 *
 * <p>What is staged here stays invisible until {@link PackPublisher#publish} publishes it;
 * {@link #discard} (or a later sweep) removes it if the pack is never published. Memory stays
 * bounded: text is kept only until its batch is written, titles until the pack is published.
 */
public final class ItemStaging {

    /** Text per index transaction: bounded memory however many documents a pack has. */
    private static final int TEXT_BATCH_CHARS = 4 * 1024 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Library library;
    private final PackManifest manifest;
    private final String batch = newBatchId();
    private final Map<String, List<PackManifest.FileEntry>> filesByHash = new HashMap<>();
    /** Without items in pack.json they are derived, one per document: staged by path. */
    private final boolean derived;
    /** With items in pack.json: the indexes of the items each path is read for. */
    private final Map<String, List<Integer>> itemsByPath = new HashMap<>();
    /** Derived packs: a website's plumbing, which is no item and so not read. */
    private final java.util.function.Predicate<String> plumbing;
    /** Derived packs: how each document read, for the derivation at publish. */
    private final Map<String, ItemDeriver.Described> described = new HashMap<>();
    /** By item index (Integer) or, for derived packs, by path (String). */
    private final Map<Object, List<Staged>> staged = new HashMap<>();
    private final List<Staged> pending = new ArrayList<>();
    private final List<SearchIndex.Text> pendingText = new ArrayList<>();
    private long pendingChars;
    private final WriteBehind writer;

    /** One library item (at position 0 until published) and its row in the search index. */
    static final class Staged {
        final Item item;
        /** Set by the writer thread; read only after {@link #finish}, which orders the two. */
        long row = -1;

        Staged(Item item) {
            this.item = item;
        }
    }

    public ItemStaging(Library library, PackManifest manifest) {
        this(library, manifest, null);
    }

    /** Writes the search rows on {@code writer} (null: at once), which {@link #finish} waits for. */
    public ItemStaging(Library library, PackManifest manifest, WriteBehind writer) {
        this.library = library;
        this.manifest = manifest;
        this.writer = writer;
        this.derived = manifest.items() == null;
        this.plumbing = derived ? ItemDeriver.plumbing(manifest) : path -> false;
        for (PackManifest.FileEntry f : manifest.files()) {
            filesByHash.computeIfAbsent(f.sha256(), h -> new ArrayList<>(1)).add(f);
        }
        if (!derived) {
            List<PackManifest.ItemEntry> items = manifest.items();
            for (int i = 0; i < items.size(); i++) {
                itemsByPath.computeIfAbsent(items.get(i).path(), p -> new ArrayList<>(1)).add(i);
            }
        }
    }

    String batch() {
        return batch;
    }

    PackManifest manifest() {
        return manifest;
    }

    /** Whether some file with this content is a document that {@link #offer} would read. */
    public boolean wants(String sha256) {
        for (PackManifest.FileEntry f : filesByHash.getOrDefault(sha256, List.of())) {
            if (derived) {
                ItemKind byPath = ItemKind.fromPath(f.path()).orElse(null);
                if (byPath != null && ItemDeriver.reads(f, byPath) && !staged.containsKey(f.path())
                        && !plumbing.test(f.path())) {
                    return true;
                }
            } else {
                for (int i : itemsByPath.getOrDefault(f.path(), List.of())) {
                    if (ItemIndexer.reads(manifest.items().get(i), f) && !staged.containsKey(i)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The verified content of every file whose SHA-256 is {@code sha256}: the documents among
     * them are read now. Content that is no document, or too large to be read, is ignored.
     */
    public void offer(String sha256, byte[] bytes) {
        for (PackManifest.FileEntry f : filesByHash.getOrDefault(sha256, List.of())) {
            if (f.size() == bytes.length) {
                offer(f, bytes);
            }
        }
    }

    private void offer(PackManifest.FileEntry f, byte[] bytes) {
        if (derived) {
            ItemKind byPath = ItemKind.fromPath(f.path()).orElse(null);
            if (byPath == null || !ItemDeriver.reads(f, byPath) || staged.containsKey(f.path())
                    || plumbing.test(f.path())) {
                return;
            }
            ItemDeriver.Described d = ItemDeriver.describe(byPath, bytes);
            described.put(f.path(), d);
            String title = d.title().isEmpty() ? DocumentText.titleFromPath(f.path()) : d.title();
            add(f.path(), ItemIndexer.items(new PackManifest.ItemEntry(f.path(), title, d.kind()), f, bytes));
            return;
        }
        for (int i : itemsByPath.getOrDefault(f.path(), List.of())) {
            PackManifest.ItemEntry it = manifest.items().get(i);
            if (ItemIndexer.reads(it, f) && !staged.containsKey(i)) {
                add(i, ItemIndexer.items(it, f, bytes));
            }
        }
    }

    /** How a document of a derived pack read, if it was offered. */
    ItemDeriver.Described described(String path) {
        return described.get(path);
    }

    /** The items staged for a manifest item (by index) or a derived document (by path); null if none. */
    List<Staged> staged(Object key) {
        return staged.get(key);
    }

    List<Staged> add(Object key, List<NewItem> items) {
        List<Staged> out = new ArrayList<>(items.size());
        for (NewItem n : items) {
            Staged s = new Staged(n.item());
            out.add(s);
            pending.add(s);
            String text = n.searchText() == null ? "" : n.searchText();
            pendingText.add(n.indexText());
            pendingChars += text.length() + n.item().title().length();
        }
        staged.put(key, out);
        if (pendingChars >= TEXT_BATCH_CHARS) {
            flush();
        }
        return out;
    }

    /** Writes the pending search rows (on the writer, if there is one). */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Staged> items = List.copyOf(pending);
        List<SearchIndex.Text> texts = List.copyOf(pendingText);
        Runnable write = () -> {
            long[] rows = library.search().stage(batch, manifest.language(), texts);
            for (int i = 0; i < rows.length; i++) {
                items.get(i).row = rows[i];
            }
        };
        if (writer == null) {
            write.run();
        } else {
            writer.submit(write);
        }
        pending.clear();
        pendingText.clear();
        pendingChars = 0;
    }

    /** Writes what is pending and waits for every write handed to the writer, rows and files alike. */
    void finish() {
        flush();
        if (writer != null) {
            writer.finish();
        }
    }

    /** Removes what was staged for a pack that will not be published. Never throws. */
    public void discard() {
        pending.clear();
        pendingText.clear();
        if (writer != null) {
            writer.close(); // nothing may be staged after the rows are removed
        }
        try {
            library.search().discard(batch);
        } catch (RuntimeException e) {
            // A sweep removes the rows later: they are invisible meanwhile.
        }
    }

    private static String newBatchId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
