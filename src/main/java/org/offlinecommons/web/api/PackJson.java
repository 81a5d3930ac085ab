package org.offlinecommons.web.api;

import java.util.List;
import org.offlinecommons.app.PackShelf;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.web.content.ContentUrls;
import org.offlinecommons.web.download.DownloadRoutes;

/** The JSON shapes of the packs API. */
public final class PackJson {

    /** Items per answer unless asked otherwise, and the most one answer carries. */
    static final int DEFAULT_ITEMS = 1000;
    static final int MAX_ITEMS = 10_000;

    private PackJson() {
    }

    public record PackSummary(String id, long version, String title, String description, String language, String license,
                       List<String> authors, String created, String entry, long size, int files, int items,
                       String digest, String url, List<Download> downloads) {
    }

    /** A way to take the pack home; {@code bytes} is null until the server has prepared it. */
    public record Download(String kind, String url, String mediaType, Long bytes) {
    }

    public record ItemView(int position, String path, Integer entry, String title, String kind, String timestamp,
                    String url) {
    }

    public record PackDetail(String id, long version, String title, String description, String language, String license,
                      List<String> authors, String created, String entry, long size, int files, String digest,
                      String url, List<Download> downloads, int itemCount, int itemsOffset, Integer nextOffset,
                      List<ItemView> items) {
    }

    public static PackSummary summary(PackShelf.Shelved shelved) {
        PackRecord p = shelved.pack();
        return new PackSummary(p.id(), p.version(), p.title(), p.description(), p.language(), p.license(),
                p.authors(), p.created(), p.entry(), p.totalSize(), p.fileCount(), p.itemCount(), p.digest(),
                ContentUrls.packRoot(p.id()), downloads(shelved));
    }

    private static List<Download> downloads(PackShelf.Shelved shelved) {
        return shelved.offers().stream().map(o -> new Download(o.kind().extension(),
                DownloadRoutes.url(shelved.pack().id(), o.kind()), o.kind().mediaType(),
                o.length().isPresent() ? o.length().getAsLong() : null)).toList();
    }

    /** A pack and one page of its items; {@code nextOffset} is null on the last page. */
    public static PackDetail detail(PackShelf.Shelved shelved, List<Item> items, int offset, int limit) {
        PackRecord p = shelved.pack();
        Integer next = items.size() == limit && (long) offset + limit < p.itemCount() ? offset + limit : null;
        return new PackDetail(p.id(), p.version(), p.title(), p.description(), p.language(), p.license(),
                p.authors(), p.created(), p.entry(), p.totalSize(), p.fileCount(), p.digest(),
                ContentUrls.packRoot(p.id()), downloads(shelved), p.itemCount(), offset, next,
                items.stream().map(i -> new ItemView(i.position(), i.path(), i.entry(), i.title(), i.kind(),
                        i.timestamp(), ContentUrls.file(p.id(), i.path()))).toList());
    }
}
