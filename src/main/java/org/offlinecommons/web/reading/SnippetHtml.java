package org.offlinecommons.web.reading;

import org.offlinecommons.store.SearchIndex;
import org.offlinecommons.web.Html;

/** Turns a search snippet into safe HTML: pack text escaped, matched words in {@code <mark>}. */
public final class SnippetHtml {

    private SnippetHtml() {
    }

    public static String render(String snippet) {
        // The markers are control characters, which escaping leaves alone.
        return Html.escape(snippet)
                .replace(String.valueOf(SearchIndex.MARK_START), "<mark>")
                .replace(String.valueOf(SearchIndex.MARK_END), "</mark>");
    }
}
