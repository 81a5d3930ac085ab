package org.offlinecommons.web;

import com.ibm.icu.util.ULocale;

/**
 * The writing direction of a pack's own text, from its language, for the {@code dir} of the
 * elements that show it: an Arabic pack's titles read right to left in a French interface too.
 */
public final class TextDirection {

    private TextDirection() {
    }

    /**
     * "rtl" or "ltr" for a known language (CLDR's character order: Arabic, Persian, Urdu, Hebrew
     * ... are right to left), "auto" when the pack does not say, so the browser judges by the text.
     */
    public static String of(String languageTag) {
        if (languageTag == null || languageTag.isBlank() || languageTag.equals("und")) {
            return "auto";
        }
        Messages.awaitWarmUp();
        ULocale locale = ULocale.forLanguageTag(languageTag);
        if (locale.getLanguage().isEmpty()) {
            return "auto";
        }
        return locale.isRightToLeft() ? "rtl" : "ltr";
    }
}
