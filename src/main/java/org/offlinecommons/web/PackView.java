package org.offlinecommons.web;

import java.util.List;

/**
 * A pack's page: what it is, where to start, and its contents in reading order, grouped by
 * folder. Long packs are shown a page of items at a time so that a phone gets a light page.
 *
 * @param lang     the pack's language tag, for its own text; null when unknown
 * @param startUrl where the "Start" button goes, or null when the pack has nothing to open
 * @param downloads the pack as files to take home; empty when the admin turned downloads off
 */
public record PackView(Layout layout, String id, String title, String description, String lang, String startUrl,
                       List<Fact> facts, List<Folder> folders, Pager pager, List<Download> downloads) {

    /**
     * A download of the pack: "ZIM file (Kiwix)", the short name cards show ("ZIM"), its address and its
     * size in words.
     */
    public record Download(String label, String shortLabel, String url, String size) {
    }

    /** The direction of the pack's own text, from its language ("rtl" for Arabic in any interface). */
    public String dir() {
        return TextDirection.of(lang);
    }

    /** A line of the pack's details, e.g. "Licence: CC-BY-4.0". */
    public record Fact(String label, String value) {
    }

    /**
     * A run of consecutive items from one folder. {@code name} is null for the pack's top
     * folder; a folder can appear twice when the reading order leaves and comes back.
     */
    public record Folder(String name, List<Entry> entries) {
    }

    /** An item in the table of contents; {@code date} is set for dated notes. */
    public record Entry(String title, String url, String kind, String kindLabel, String date, String dateIso) {
    }
}
