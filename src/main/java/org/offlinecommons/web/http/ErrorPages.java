package org.offlinecommons.web.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import org.offlinecommons.web.Html;
import org.offlinecommons.web.Messages;
import org.offlinecommons.web.Templates;
import org.offlinecommons.web.reading.LibraryPages;
import org.offlinecommons.web.reading.PageRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error answers as pages for people. Programs (the JSON API, sync between servers, raw pack
 * files fetched by players and pages) keep getting {@link ApiError} JSON. A student who follows a
 * broken link inside a pack's own pages is a person, though: a browser's navigation asks for
 * text/html, a player's or a script's fetch does not.
 */
public final class ErrorPages {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorPages.class);
    private static final String[] JSON_PREFIXES = {"/api/", "/sync/", "/packs/"};

    private final LibraryPages pages;
    private final Templates templates;
    private final Messages messages;

    public ErrorPages(LibraryPages pages, Templates templates, Messages messages) {
        this.pages = pages;
        this.templates = templates;
        this.messages = messages;
    }

    /** The interface's words, in the language of the request being answered. */
    public Messages messages() {
        return messages;
    }

    public static boolean isForPeople(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/packs/")) {
            return isNavigation(ctx.header("Accept"));
        }
        for (String prefix : JSON_PREFIXES) {
            if (path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a request with this Accept header is a browser opening a page (not a fetch of a part of one). */
    public static boolean isNavigation(String accept) {
        return accept != null && accept.contains("text/html");
    }

    /** A sentence of the interface in the request's language, for a page's detail. */
    public String message(String key) {
        return messages.get(key);
    }

    /**
     * @param detail a sentence safe to show (never a stack trace or SQL), or null
     */
    public void respond(Context ctx, int status, String detail) {
        byte[] html;
        try {
            html = templates.render("error.jte", pages.error(status, detail));
        } catch (RuntimeException e) {
            // The error page itself failed (the library is unreadable, say): still answer in words.
            LOG.error("Could not render the error page for {} {}", ctx.method(), ctx.path(), e);
            html = ("<!DOCTYPE html><meta charset=\"utf-8\"><title>" + Html.escape(messages.get("library.name"))
                    + "</title><h1>" + Html.escape(messages.get("error.500.heading")) + "</h1><p>"
                    + Html.escape(messages.get("error.500.text")) + "</p><p><a href=\"/\">"
                    + Html.escape(messages.get("error.back")) + "</a></p>").getBytes(StandardCharsets.UTF_8);
        }
        ctx.status(status);
        ctx.contentType(PageRoutes.HTML).result(html);
    }
}
