package org.offlinecommons.web;

import com.ibm.icu.text.DisplayContext;
import com.ibm.icu.text.LocaleDisplayNames;
import com.ibm.icu.text.MeasureFormat;
import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.text.NumberFormat;
import com.ibm.icu.util.Measure;
import com.ibm.icu.util.MeasureUnit;
import com.ibm.icu.util.ULocale;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.offlinecommons.pack.Sizes;

/**
 * The words of the interface, from {@code web/messages.properties}: a school translates the
 * whole interface by adding one {@code messages_xx.properties} file beside it.
 *
 * <p>{@link #load} gives one language. {@link #perRequest} gives the words of whatever language
 * the request being answered on this thread chose ({@link #answerIn}), so the routes, built once,
 * speak each visitor's language without passing it through every call.
 */
public final class Messages {

    private static final String BUNDLE = "web.messages";
    /**
     * The language chosen for the request this thread is answering. A thread answers one request
     * at a time from the first handler to the last, and {@code LanguageChoice} sets it before any
     * route runs and clears it after the last; work a route hands to another thread carries it
     * there with {@link #inThisLanguage}.
     */
    private static final ThreadLocal<Messages> REQUEST = new ThreadLocal<>();
    /** Counted down once {@link #warmUp} has initialised ICU's formats (or was never started). */
    private static volatile CountDownLatch warm = new CountDownLatch(0);

    /** This language's words; null for a {@link #perRequest} view. */
    private final ResourceBundle bundle;
    private final ULocale locale;
    private final String dir;
    /** For a {@link #perRequest} view: the words outside any request (the server's default). */
    private final Messages fallback;
    /** For a {@link #perRequest} view: every language, for the menu; else null. */
    private final Languages languages;
    /**
     * This language's formats by key, made once: making one (its pattern parsed, its number
     * formats looked up) cost more than formatting with it. A MessageFormat is not thread-safe,
     * so each is used under its own lock.
     */
    private final Map<String, MessageFormat> formats = new ConcurrentHashMap<>();

    private Messages(ResourceBundle bundle) {
        this.bundle = bundle;
        this.fallback = null;
        this.languages = null;
        this.locale = ULocale.forLanguageTag(lookup(bundle, "locale", "en"));
        this.dir = lookup(bundle, "dir", "ltr");
    }

    private Messages(Languages languages) {
        this.bundle = null;
        this.languages = languages;
        this.fallback = languages.serverDefaultMessages();
        this.locale = null;
        this.dir = null;
    }

    public static Messages load(Locale locale) {
        // Only our own bundle files count; the JVM's default locale must not pick a fallback.
        return new Messages(ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
    }

    /** Words in the language of the request this thread is answering; the server's default outside one. */
    public static Messages perRequest(Languages languages) {
        return new Messages(languages);
    }

    /**
     * One entry of the language menu.
     *
     * @param name    the language in its own words ("Français", "العربية"), so a visitor finds theirs
     * @param current whether the page is in this language
     */
    public record MenuEntry(String tag, String name, String dir, boolean current) {
    }

    /** The language menu: every language the interface has; empty for a view of one fixed language. */
    public java.util.List<MenuEntry> menu() {
        if (languages == null) {
            return java.util.List.of();
        }
        awaitWarmUp();
        Messages now = current();
        return languages.tags().stream().map(tag -> {
            Messages m = languages.messages(tag);
            return new MenuEntry(tag, languages.autonym(tag), m.dir, m == now);
        }).toList();
    }

    /** A language's name in its own words, e.g. "Français" for "fr". */
    static String autonym(Messages m) {
        return LocaleDisplayNames.getInstance(m.locale, DisplayContext.CAPITALIZATION_FOR_UI_LIST_OR_MENU,
                DisplayContext.DIALECT_NAMES).localeDisplayName(m.locale);
    }

    /** Until {@link #endRequest}, {@link #perRequest} views on this thread speak {@code language}. */
    public static void answerIn(Messages language) {
        REQUEST.set(language.current());
    }

    public static void endRequest() {
        REQUEST.remove();
    }

    /**
     * Starts {@code work} elsewhere (with {@code start}, e.g. the search gate) in the language of
     * the request this thread is answering: the work runs in it on whatever thread, and so does
     * what follows its completion (Javalin's writing of the answer, an error page, the handlers
     * after), on the thread that completed it.
     */
    public static <T> java.util.concurrent.CompletableFuture<T> inThisLanguage(
            java.util.function.Function<java.util.function.Supplier<T>, java.util.concurrent.CompletableFuture<T>> start,
            java.util.function.Supplier<T> work) {
        Messages chosen = REQUEST.get();
        java.util.function.Supplier<T> carried = () -> {
            setOrClear(chosen);
            try {
                return work.get();
            } finally {
                REQUEST.remove();
            }
        };
        return start.apply(carried).whenComplete((result, failure) -> setOrClear(chosen));
    }

    private static void setOrClear(Messages chosen) {
        if (chosen != null) {
            REQUEST.set(chosen);
        } else {
            REQUEST.remove();
        }
    }

    /**
     * Runs the first message format, language name and size in the background: in a fresh JVM they
     * load ICU's data, which the first visitor would otherwise wait for (docs/performance.md,
     * "Interface languages"). Requests wait for it rather than race it, so no two threads
     * initialise ICU's classes at once.
     */
    public static void warmUp(Languages languages) {
        CountDownLatch latch = new CountDownLatch(1);
        warm = latch;
        Thread thread = new Thread(() -> {
            try {
                Messages m = languages.serverDefaultMessages();
                formatNow(m, "pack.items", 2);
                languageNameNow(m, "ar");
                m.sizeNow(1_500_000);
                // The menu's names, each in its own language: every bundle's locale data at once.
                languages.autonym(languages.serverDefault());
            } catch (RuntimeException ignored) {
                // Only a head start: a real request meets and reports any real problem itself.
            } finally {
                latch.countDown();
            }
        }, "messages-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    static void awaitWarmUp() {
        CountDownLatch latch = warm;
        if (latch.getCount() == 0) {
            return;
        }
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The fixed language this view speaks now. */
    private Messages current() {
        if (bundle != null) {
            return this;
        }
        Messages chosen = REQUEST.get();
        return chosen != null ? chosen : fallback;
    }

    /** The language the interface is written in, for {@code <html lang>} and date formats. */
    public Locale locale() {
        return current().locale.toLocale();
    }

    /** "ltr" or "rtl": the direction of the interface's language. */
    public String dir() {
        return current().dir;
    }

    public String get(String key) {
        return lookup(current().bundle, key, key);
    }

    private static String lookup(ResourceBundle bundle, String key, String missing) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            // A missing translation must not break a page; the key at least says what is meant.
            return missing;
        }
    }

    /**
     * A message with ICU {@link MessageFormat} arguments: counts take the language's CLDR plural
     * forms ({@code {0, plural, one{# pack} other{# packs}}}) and numbers are written its way.
     */
    public String format(String key, Object... args) {
        awaitWarmUp();
        return formatNow(current(), key, args);
    }

    /**
     * A job's title or message in this language: its key with its arguments, or its English when
     * it has no key or the key is not in the bundles (a newer job kind than the bundles).
     */
    public String say(org.offlinecommons.job.JobText text) {
        if (text == null) {
            return "";
        }
        if (text.key() == null || get(text.key()).equals(text.key())) {
            return text.english();
        }
        Object[] args = text.args().stream()
                .map(a -> a instanceof org.offlinecommons.job.JobText.Bytes b ? size(b.count()) : a).toArray();
        return format(text.key(), args);
    }

    private static String formatNow(Messages m, String key, Object... args) {
        MessageFormat format = m.formats.computeIfAbsent(key, k -> new MessageFormat(m.get(k), m.locale));
        synchronized (format) {
            return format.format(args);
        }
    }

    /**
     * A byte count as this language writes it: "1,5 Go" in French, "267 م.ب" in Arabic, "৯৬ বাইট" in
     * Bengali (CLDR's units and digits); English keeps the spelling of the command line, "1.5 GB".
     */
    public String size(long bytes) {
        awaitWarmUp();
        return current().sizeNow(bytes);
    }

    private String sizeNow(long bytes) {
        Messages m = this;
        if (m.locale.getLanguage().equals("en")) {
            return Sizes.human(bytes);
        }
        MeasureUnit[] units = {MeasureUnit.KILOBYTE, MeasureUnit.MEGABYTE, MeasureUnit.GIGABYTE, MeasureUnit.TERABYTE};
        double v = bytes;
        MeasureUnit unit = MeasureUnit.BYTE;
        for (int u = 0; v >= 1000 && u < units.length; u++) {
            v /= 1000;
            unit = units[u];
        }
        // Decimal units with one decimal below 10, as Sizes.human does.
        int decimals = unit != MeasureUnit.BYTE && v < 10 ? 1 : 0;
        NumberFormat number = NumberFormat.getInstance(m.locale);
        number.setMinimumFractionDigits(decimals);
        number.setMaximumFractionDigits(decimals);
        return MeasureFormat.getInstance(m.locale, MeasureFormat.FormatWidth.SHORT, number)
                .format(new Measure(v, unit));
    }

    /**
     * A language's name in the interface's language, as a list or menu shows it: "Arabe" in a
     * French interface, "阿拉伯语" in a Chinese one; the tag itself when ICU does not know it.
     */
    public String languageName(String tag) {
        awaitWarmUp();
        return languageNameNow(current(), tag);
    }

    private static String languageNameNow(Messages m, String tag) {
        ULocale language = ULocale.forLanguageTag(tag);
        String name = LocaleDisplayNames.getInstance(m.locale, DisplayContext.CAPITALIZATION_FOR_UI_LIST_OR_MENU,
                DisplayContext.DIALECT_NAMES).localeDisplayName(language);
        return name == null || name.isBlank() || name.equals(language.toString()) ? tag : name;
    }
}
