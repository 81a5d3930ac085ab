package org.offlinecommons.store;

import java.util.List;

/**
 * A page of search results and how many there are in all. {@code suggestion} is a query to try
 * instead ("did you mean"), given only when this one found nothing and the suggestion finds
 * something; else null.
 */
public record SearchResults(String query, int total, int offset, List<SearchHit> hits, String suggestion) {
    public SearchResults {
        hits = List.copyOf(hits);
    }

    public SearchResults(String query, int total, int offset, List<SearchHit> hits) {
        this(query, total, offset, hits, null);
    }
}
