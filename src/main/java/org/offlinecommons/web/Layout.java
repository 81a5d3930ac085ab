package org.offlinecommons.web;

/**
 * What every page shows around its content: the library's name, the search box (holding the
 * current query, and the pack it is limited to, if any), the stylesheet, and the one script:
 * title suggestions under the search boxes, which work without it.
 *
 * @param title        this page's own title, or null on the home page
 * @param query        the search words to keep in the box, or null
 * @param searchPackId the pack the box searches in, or null for the whole library
 * @param admin        the admin bar, on admin pages only; null elsewhere
 */
public record Layout(Messages messages, String cssUrl, String iconUrl, String suggestUrl, String title,
                     String query, String searchPackId, AdminBar admin) {

    /**
     * The coloured bar that sets admin pages apart from the reading pages.
     *
     * @param section   the page the admin is on ("dashboard", "jobs"), for aria-current
     * @param csrfToken the session's token for the log-out form, or null when there is no login
     */
    public record AdminBar(String section, String csrfToken) {
        public boolean current(String name) {
            return name.equals(section);
        }
    }

    public Layout(Messages messages, String cssUrl, String iconUrl, String suggestUrl, String title, String query,
                  String searchPackId) {
        this(messages, cssUrl, iconUrl, suggestUrl, title, query, searchPackId, null);
    }

    /** A word of the interface, for templates: {@code ${layout.t("search.button")}}. */
    public String t(String key) {
        return messages.get(key);
    }

    public String f(String key, Object... args) {
        return messages.format(key, args);
    }

    public String lang() {
        return messages.locale().toLanguageTag();
    }

    /** "ltr" or "rtl", for {@code <html dir>}. */
    public String dir() {
        return messages.dir();
    }

    /** The interface's language in its own words, on the language menu's button. */
    public String languageName() {
        return languageMenu().stream().filter(Messages.MenuEntry::current).map(Messages.MenuEntry::name)
                .findFirst().orElse(lang());
    }

    /** The language menu on every page: a form that works without JavaScript (see LanguageChoice). */
    public java.util.List<Messages.MenuEntry> languageMenu() {
        return messages.menu();
    }

    public String libraryName() {
        return messages.get("library.name");
    }

    /** The browser tab's title: most specific first, as tabs cut the end off. */
    public String fullTitle() {
        return title == null ? libraryName() : title + " · " + libraryName();
    }

    public Layout titled(String newTitle) {
        return new Layout(messages, cssUrl, iconUrl, suggestUrl, newTitle, query, searchPackId, admin);
    }

    public Layout searching(String newQuery, String packId) {
        return new Layout(messages, cssUrl, iconUrl, suggestUrl, title, newQuery, packId, admin);
    }

    public Layout withAdminBar(AdminBar bar) {
        return new Layout(messages, cssUrl, iconUrl, suggestUrl, title, query, searchPackId, bar);
    }
}
