package org.offlinecommons.pack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.offlinecommons.notes.NotesParser;

/**
 * Works out a pack's items when its manifest does not list them: every document file but a
 * website's plumbing ({@link SitePlumbing}), in the site's reading order ({@link SiteOrder}:
 * the entry page, the pages it links to...), then in path order, each titled from its
 * {@code <title>}, first heading, or file name.
 *
 * <p>Images become items only in packs without HTML pages: in a website they are the pages'
 * illustrations, not documents of their own.
 */
public final class ItemDeriver {

    /** Documents larger than this are titled from their file name rather than read. */
    static final int MAX_READ_BYTES = 8 * 1024 * 1024;

    /** Reads a file's bytes (at most {@code maxBytes}) for titles and text. */
    @FunctionalInterface
    public interface Source {
        byte[] read(PackManifest.FileEntry file, int maxBytes) throws IOException;
    }

    /** A document as read: its kind (a text file may turn out to be notes) and title ("" if none). */
    record Described(ItemKind kind, String title) {
    }

    /** Describes a document of the kind its path gives. */
    @FunctionalInterface
    interface Describer {
        Described describe(PackManifest.FileEntry file, ItemKind byPath) throws IOException;
    }

    private ItemDeriver() {
    }

    public static List<PackManifest.ItemEntry> derive(PackManifest manifest, Source source) throws IOException {
        return deriveDescribed(manifest, (f, k) -> describe(k, source.read(f, MAX_READ_BYTES)), source);
    }

    static Described describe(ItemKind byPath, byte[] bytes) {
        ItemKind k = byPath;
        if (k == ItemKind.TEXT && NotesParser.isNotes(DocumentText.decode(bytes))) {
            k = ItemKind.NOTES;
        }
        return new Described(k, DocumentText.extract(k, bytes).title());
    }

    /** Whether {@link #derive} reads this file (to describe it). */
    static boolean reads(PackManifest.FileEntry f, ItemKind byPath) {
        return byPath.isText() && f.size() <= MAX_READ_BYTES;
    }

    /**
     * Which files of the manifest are a website's plumbing ({@link SitePlumbing}) rather than
     * items; the entry page never is.
     */
    static Predicate<String> plumbing(PackManifest manifest) {
        SitePlumbing rules = SitePlumbing.remembering();
        for (PackManifest.FileEntry f : manifest.files()) {
            rules.sawPage(f.path());
        }
        return path -> !path.equals(manifest.entry())
                && rules.excludes(path, ItemKind.fromPath(path).orElse(null));
    }

    /**
     * The items: every document but the site's plumbing, in the site's reading order
     * ({@link SiteOrder}, pages read by {@code source}), then in path order.
     */
    static List<PackManifest.ItemEntry> deriveDescribed(PackManifest manifest, Describer describer, Source source)
            throws IOException {
        boolean hasHtml = manifest.files().stream()
                .anyMatch(f -> ItemKind.fromPath(f.path()).orElse(null) == ItemKind.HTML);
        Map<String, PackManifest.FileEntry> byPath = new HashMap<>();
        for (PackManifest.FileEntry f : manifest.files()) {
            byPath.put(f.path(), f);
        }
        List<String> order = SiteOrder.of(manifest.entry(), (path, max) -> {
            PackManifest.FileEntry f = byPath.get(path);
            return f == null ? null : source.read(f, max);
        });
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            rank.put(order.get(i), i);
        }
        Predicate<String> plumbing = plumbing(manifest);
        List<PackManifest.FileEntry> ordered = new ArrayList<>(manifest.files());
        ordered.sort(Comparator.<PackManifest.FileEntry>comparingInt(f -> rank.getOrDefault(f.path(), Integer.MAX_VALUE))
                .thenComparing(PackManifest.FileEntry::path));
        List<PackManifest.ItemEntry> items = new ArrayList<>();
        for (PackManifest.FileEntry f : ordered) {
            Optional<ItemKind> kind = ItemKind.fromPath(f.path());
            if (kind.isEmpty() || (kind.get() == ItemKind.IMAGE && hasHtml) || plumbing.test(f.path())) {
                continue;
            }
            ItemKind k = kind.get();
            String title = "";
            if (reads(f, k)) {
                Described d = describer.describe(f, k);
                k = d.kind();
                title = d.title();
            }
            if (title.isEmpty()) {
                title = DocumentText.titleFromPath(f.path());
            }
            items.add(new PackManifest.ItemEntry(f.path(), title, k));
        }
        return items;
    }
}
