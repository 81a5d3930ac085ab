package org.offlinecommons.web.api;

import java.util.List;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.web.content.ContentUrls;

/** The JSON shapes of the packs API. */
public final class PackJson {

    private PackJson() {
    }

    public record PackSummary(String id, long version, String title, String description, String language, String license,
                       List<String> authors, String created, String entry, long size, int files, int items,
                       String digest, String url) {
    }

    public record ItemView(int position, String path, Integer entry, String title, String kind, String timestamp,
                    String url) {
    }

    public record PackDetail(String id, long version, String title, String description, String language, String license,
                      List<String> authors, String created, String entry, long size, int files, String digest,
                      String url, List<ItemView> items) {
    }

    public static PackSummary summary(PackRecord p) {
        return new PackSummary(p.id(), p.version(), p.title(), p.description(), p.language(), p.license(),
                p.authors(), p.created(), p.entry(), p.totalSize(), p.fileCount(), p.itemCount(), p.digest(),
                ContentUrls.packRoot(p.id()));
    }

    public static PackDetail detail(PackRecord p, List<Item> items) {
        return new PackDetail(p.id(), p.version(), p.title(), p.description(), p.language(), p.license(),
                p.authors(), p.created(), p.entry(), p.totalSize(), p.fileCount(), p.digest(),
                ContentUrls.packRoot(p.id()),
                items.stream().map(i -> new ItemView(i.position(), i.path(), i.entry(), i.title(), i.kind(),
                        i.timestamp(), ContentUrls.file(p.id(), i.path()))).toList());
    }
}
