package org.offlinecommons.web;

import java.util.List;

/**
 * The home page: every pack as a card, the newest ones first when there are many, and a filter
 * by language when the library holds more than one.
 *
 * @param language the language the list is filtered to, or null for all
 */
public record HomeView(Layout layout, int packCount, List<PackCard> recent, List<PackCard> packs,
                       List<LanguageChoice> languages, String language) {

    /**
     * One pack as a card: everything already in words, so the template only lays it out.
     * {@code lang} is the pack's language tag for its own text, or null when unknown; {@code icon}
     * the URL of the pack's icon (docs/pack-format.md), or null for its initial on a tile;
     * {@code downloads} the pack as files to take home (empty when downloads are off).
     */
    public record PackCard(String title, String description, String url, String initial, String language,
                           String lang, String items, String size, String icon,
                           List<PackView.Download> downloads) {

        /** The direction of the pack's own text (title, description), from its language. */
        public String dir() {
            return TextDirection.of(lang);
        }
    }

    /** A link of the language filter. */
    public record LanguageChoice(String label, int count, String url, boolean selected) {
    }
}
