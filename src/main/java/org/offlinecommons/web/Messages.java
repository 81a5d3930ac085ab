package org.offlinecommons.web;

import com.ibm.icu.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The words of the interface, from {@code web/messages.properties}: a school translates the
 * whole interface by adding one {@code messages_xx.properties} file beside it.
 */
public final class Messages {

    private static final String BUNDLE = "web.messages";

    private final ResourceBundle bundle;

    private Messages(ResourceBundle bundle) {
        this.bundle = bundle;
    }

    public static Messages load(Locale locale) {
        // Only our own bundle files count; the JVM's default locale must not pick a fallback.
        return new Messages(ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
    }

    /** The language the interface is written in, for {@code <html lang>} and date formats. */
    public Locale locale() {
        String tag = get("locale");
        return Locale.forLanguageTag(tag);
    }

    public String get(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            // A missing translation must not break a page; the key at least says what is meant.
            return key;
        }
    }

    /**
     * A message with ICU {@link MessageFormat} arguments: counts take the language's CLDR plural
     * forms ({@code {0, plural, one{# pack} other{# packs}}}) and numbers are written its way.
     */
    public String format(String key, Object... args) {
        return new MessageFormat(get(key), locale()).format(args);
    }
}
