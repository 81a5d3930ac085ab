package org.offlinecommons.store;

import java.util.List;

/** A page of search results and how many there are in all. */
public record SearchResults(String query, int total, int offset, List<SearchHit> hits) {
    public SearchResults {
        hits = List.copyOf(hits);
    }
}
