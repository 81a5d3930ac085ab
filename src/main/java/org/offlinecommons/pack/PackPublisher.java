package org.offlinecommons.pack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.offlinecommons.store.Catalog;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.StoredFile;

/**
 * Publishes a pack whose file contents are already staged in the library (recipes and chunks,
 * verified by whoever staged them: an import or a sync). Derives its items and search text
 * (see {@link ItemStaging}: mostly while the files were staged), and makes the pack visible in
 * one short transaction.
 */
public final class PackPublisher {


    private final Library library;

    public PackPublisher(Library library) {
        this.library = library;
    }

    /** Publishes a pack none of whose documents were offered while it was staged. */
    public PackRecord publish(PackManifest manifest, String source, String replacesDigest) {
        return publish(new ItemStaging(library, manifest), source, replacesDigest);
    }

    /**
     * Publishes {@code staging}'s pack: documents not offered to it while the pack was staged
     * are read back from the library now. Whatever happens, nothing staged is left behind
     * unpublished.
     *
     * @param source         names where the pack came from, in messages
     * @param replacesDigest the installed version this replaces (null if none); if that changed
     *                       meanwhile, nothing is published
     * @throws PackException CONFLICT if another import or sync changed the pack meanwhile, or
     *                       if some content is no longer stored
     */
    public PackRecord publish(ItemStaging staging, String source, String replacesDigest) {
        boolean published = false;
        try {
            PackRecord record = publishStaged(staging, source, replacesDigest);
            published = true;
            return record;
        } finally {
            if (!published) {
                staging.discard();
            }
        }
    }

    private PackRecord publishStaged(ItemStaging staging, String source, String replacesDigest) {
        PackManifest manifest = staging.manifest();
        List<StoredFile> files = new ArrayList<>();
        Map<String, PackManifest.FileEntry> byPath = new HashMap<>();
        for (PackManifest.FileEntry f : manifest.files()) {
            files.add(new StoredFile(f.path(), f.size(), f.sha256()));
            byPath.put(f.path(), f);
        }
        ItemDeriver.Source read = (f, max) -> {
            FileRecipe recipe = library.chunks().recipe(f.sha256())
                    .orElseThrow(() -> new IOException("'" + f.path() + "' is not stored"));
            try (InputStream in = library.chunks().open(recipe)) {
                return in.readNBytes(max);
            }
        };
        List<ItemStaging.Staged> staged = new ArrayList<>();
        try {
            boolean derived = manifest.items() == null;
            if (derived) {
                // The site's order is read from its stored pages: every write must have landed.
                staging.finish();
            }
            List<PackManifest.ItemEntry> entries = !derived ? manifest.items() : ItemDeriver.deriveDescribed(manifest,
                    (f, k) -> {
                        ItemDeriver.Described d = staging.described(f.path());
                        return d != null ? d : ItemDeriver.describe(k, read.read(f, ItemDeriver.MAX_READ_BYTES));
                    }, read);
            for (int i = 0; i < entries.size(); i++) {
                PackManifest.ItemEntry it = entries.get(i);
                Object key = derived ? it.path() : Integer.valueOf(i);
                List<ItemStaging.Staged> these = staging.staged(key);
                if (these == null) {
                    PackManifest.FileEntry file = byPath.get(it.path());
                    byte[] bytes = ItemIndexer.reads(it, file) ? read.read(file, ItemDeriver.MAX_READ_BYTES) : null;
                    these = staging.add(key, ItemIndexer.items(it, file, bytes));
                }
                staged.addAll(these);
            }
            staging.finish();
        } catch (IOException e) {
            throw new PackException(PackException.Reason.CONFLICT, source + ": cannot read its documents ("
                    + e.getMessage() + "); nothing was changed, try again", e);
        }
        List<Item> items = new ArrayList<>(staged.size());
        long[] rows = new long[staged.size()];
        for (ItemStaging.Staged s : staged) {
            Item it = s.item;
            rows[items.size()] = s.row;
            items.add(new Item(items.size(), it.path(), it.entry(), it.title(), it.kind(), it.timestamp()));
        }
        PackRecord record = new PackRecord(manifest.id(), manifest.version(), manifest.title(),
                manifest.description(), manifest.language(), manifest.license(), manifest.authors(),
                manifest.created(), manifest.entry(), ManifestCodec.digest(manifest), manifest.totalSize(),
                files.size(), items.size(), System.currentTimeMillis());
        try {
            library.publish(record, new String(ManifestCodec.write(manifest), StandardCharsets.UTF_8), files, items,
                    rows, staging.batch(), replacesDigest);
        } catch (Catalog.ConcurrentChangeException | Catalog.IncompleteContentException e) {
            throw new PackException(PackException.Reason.CONFLICT, source + ": " + e.getMessage(), e);
        }
        return record;
    }
}
