package org.offlinecommons.store;

/**
 * An item to publish together with the text that search should find it by: its body text, its
 * headings (which weigh more), and whether it is mostly a list of links (which weighs less).
 */
public record NewItem(Item item, String searchText, String headings, boolean listing) {

    public NewItem(Item item, String searchText) {
        this(item, searchText, "", false);
    }

    /** The text for the index, under the item's title. */
    public SearchIndex.Text indexText() {
        return new SearchIndex.Text(item.title(), headings, searchText == null ? "" : searchText, listing);
    }
}
