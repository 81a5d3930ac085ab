package org.offlinecommons.web.reading;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.offlinecommons.pack.ItemKind;
import org.offlinecommons.store.Item;
import org.offlinecommons.web.content.ContentUrls;

/**
 * The addresses of the reading pages. Every item has a stable address, {@code /read/{pack}/{position}},
 * whatever its kind, so a bookmark or a search result always works; web pages of a pack are
 * linked straight at their own URL so their relative links keep working.
 */
public final class PageUrls {

    private PageUrls() {
    }

    public static String home() {
        return "/";
    }

    public static String home(String language) {
        return language == null ? home() : "/?lang=" + encode(language);
    }

    public static String pack(String packId) {
        return "/pack/" + packId;
    }

    public static String pack(String packId, int page) {
        return page <= 1 ? pack(packId) : pack(packId) + "?page=" + page;
    }

    public static String read(String packId, int position) {
        return "/read/" + packId + "/" + position;
    }

    /** Where a link to the item should go: the page itself for web pages, the reader otherwise. */
    public static String item(String packId, Item item) {
        return ItemKind.HTML.id().equals(item.kind()) && item.entry() == null
                ? ContentUrls.file(packId, item.path())
                : read(packId, item.position());
    }

    public static String search(String query, String packId, int page) {
        StringBuilder url = new StringBuilder("/search?q=").append(encode(query == null ? "" : query));
        if (packId != null) {
            url.append("&pack=").append(encode(packId));
        }
        if (page > 1) {
            url.append("&page=").append(page);
        }
        return url.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
