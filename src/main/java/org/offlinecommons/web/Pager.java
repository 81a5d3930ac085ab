package org.offlinecommons.web;

/**
 * Links to the previous and next page of a long list; plain links, so paging works without
 * JavaScript. A null URL means there is no such page.
 */
public record Pager(String previousUrl, String nextUrl, String label) {

    public static final Pager NONE = new Pager(null, null, null);

    public boolean isShown() {
        return previousUrl != null || nextUrl != null;
    }
}
