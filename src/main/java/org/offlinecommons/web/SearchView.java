package org.offlinecommons.web;

import java.util.List;

/**
 * The search page: results with their pack and a snippet in which the matched words are
 * marked, or a friendly word when there is nothing (yet) to show.
 *
 * @param heading    the page's main heading
 * @param summary    e.g. "12 results", or null when no search was made
 * @param scopeTitle the pack searched in, or null for the whole library
 * @param wideUrl    the same search across the whole library, when limited to a pack
 * @param emptyHint  what to try when nothing was found (or nothing asked), else null
 * @param suggestion a spelling to try when nothing was found ("did you mean"), else null
 * @param suggestionUrl the search for {@code suggestion}, else null
 */
public record SearchView(Layout layout, String heading, String summary, String scopeTitle, String wideUrl,
                         List<Result> results, int firstNumber, String emptyHint, Pager pager,
                         String suggestion, String suggestionUrl) {

    public SearchView(Layout layout, String heading, String summary, String scopeTitle, String wideUrl,
                      List<Result> results, int firstNumber, String emptyHint, Pager pager) {
        this(layout, heading, summary, scopeTitle, wideUrl, results, firstNumber, emptyHint, pager, null, null);
    }

    /**
     * One hit. {@code snippetHtml} is escaped pack text with {@code <mark>} around matches;
     * {@code lang} is its pack's language tag, or null when unknown.
     */
    public record Result(String title, String url, String packTitle, String packUrl, String kindLabel,
                         String date, String dateIso, String snippetHtml, String lang) {

        /** The direction of the pack's text: "rtl" for an Arabic pack in any interface. */
        public String dir() {
            return TextDirection.of(lang);
        }
    }
}
