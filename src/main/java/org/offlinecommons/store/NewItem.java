package org.offlinecommons.store;

/** An item to publish together with the text that search should find it by. */
public record NewItem(Item item, String searchText) {
}
