package org.offlinecommons.pack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.offlinecommons.store.Catalog;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.NewItem;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.StoredFile;

/**
 * Publishes a pack whose file contents are already staged in the library (recipes and chunks,
 * verified by whoever staged them: an import or a sync). Derives its items and search text
 * from the stored documents, stages the text in batches, and makes the pack visible in one
 * short transaction.
 */
public final class PackPublisher {

    /** Text per staging transaction: bounded memory however many documents a pack has. */
    private static final int TEXT_BATCH_CHARS = 4 * 1024 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Library library;

    public PackPublisher(Library library) {
        this.library = library;
    }

    /**
     * @param source         names where the pack came from, in messages
     * @param replacesDigest the installed version this replaces (null if none); if that changed
     *                       meanwhile, nothing is published
     * @throws PackException CONFLICT if another import or sync changed the pack meanwhile, or
     *                       if some content is no longer stored
     */
    public PackRecord publish(PackManifest manifest, String source, String replacesDigest) {
        List<StoredFile> files = new ArrayList<>();
        for (PackManifest.FileEntry f : manifest.files()) {
            files.add(new StoredFile(f.path(), f.size(), f.sha256()));
        }
        ItemDeriver.Source read = (f, max) -> {
            FileRecipe recipe = library.chunks().recipe(f.sha256())
                    .orElseThrow(() -> new IOException("'" + f.path() + "' is not stored"));
            try (InputStream in = library.chunks().open(recipe)) {
                return in.readNBytes(max);
            }
        };
        String batch = newBatchId();
        List<Item> items = new ArrayList<>();
        List<NewItem> pending = new ArrayList<>();
        int[] pendingChars = {0};
        try {
            List<PackManifest.ItemEntry> entries = manifest.items() != null
                    ? manifest.items() : ItemDeriver.derive(manifest, read);
            ItemIndexer.index(manifest, entries, read, n -> {
                items.add(n.item());
                pending.add(n);
                pendingChars[0] += n.searchText() == null ? 0 : n.searchText().length();
                if (pendingChars[0] >= TEXT_BATCH_CHARS) {
                    library.search().stage(batch, pending);
                    pending.clear();
                    pendingChars[0] = 0;
                }
            });
            library.search().stage(batch, pending);
        } catch (IOException e) {
            throw new PackException(PackException.Reason.CONFLICT, source + ": cannot read its documents ("
                    + e.getMessage() + "); nothing was changed, try again", e);
        }
        PackRecord record = new PackRecord(manifest.id(), manifest.version(), manifest.title(),
                manifest.description(), manifest.language(), manifest.license(), manifest.authors(),
                manifest.created(), manifest.entry(), new String(ManifestCodec.write(manifest), StandardCharsets.UTF_8),
                ManifestCodec.digest(manifest), manifest.totalSize(), files.size(), items.size(),
                System.currentTimeMillis());
        try {
            library.publish(record, files, items, batch, replacesDigest);
        } catch (Catalog.ConcurrentChangeException | Catalog.IncompleteContentException e) {
            throw new PackException(PackException.Reason.CONFLICT, source + ": " + e.getMessage(), e);
        }
        return record;
    }

    private static String newBatchId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
