package org.offlinecommons.web.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.net.URI;
import java.net.URISyntaxException;
import org.offlinecommons.web.Languages;
import org.offlinecommons.web.Messages;

/**
 * Which language each request is answered in, decided before any route runs: the visitor's
 * choice from the language menu (a cookie), else their browser's {@code Accept-Language}, else
 * the server's default ({@code serve --language}). The menu is a plain form posted to
 * {@value #PATH}, which sets the cookie and sends the visitor back where they were, so it works
 * without JavaScript and no page's address carries the language.
 *
 * <p>Pages differ by language under one address, so every page says so to caches
 * ({@code Vary: Accept-Encoding, Accept-Language, Cookie}) and says what it is
 * ({@code Content-Language}). No page has an ETag; if one gets one, it must include the language.
 */
public final class LanguageChoice {

    public static final String PATH = "/language";
    public static final String COOKIE = "lang";
    /** The menu's field: a language tag, or {@link #AUTO} to follow the browser again. */
    public static final String FIELD = "lang";
    public static final String AUTO = "auto";
    private static final int COOKIE_SECONDS = 365 * 24 * 3600;

    private final Languages languages;

    public LanguageChoice(Languages languages) {
        this.languages = languages;
    }

    public void register(JavalinConfig config) {
        config.routes.before(this::before);
        config.routes.after(this::after);
        config.routes.post(PATH, this::choose);
    }

    /** The language of this request, for {@link Messages#perRequest} views. */
    public String chosen(Context ctx) {
        return languages.choose(ctx.cookie(COOKIE), ctx.header("Accept-Language"));
    }

    private void before(Context ctx) {
        String tag = chosen(ctx);
        Messages.answerIn(languages.messages(tag));
        ctx.attribute(COOKIE, tag);
    }

    private void after(Context ctx) {
        Messages.endRequest();
        String type = ctx.res().getContentType();
        if (type != null && type.startsWith("text/html")) {
            // Accept-Encoding too: Javalin compresses pages by it without saying so.
            ctx.res().addHeader("Vary", "Accept-Encoding, Accept-Language, Cookie");
            String tag = ctx.attribute(COOKIE);
            if (tag != null) {
                ctx.header("Content-Language", tag);
            }
        }
    }

    private void choose(Context ctx) {
        String wanted = ctx.formParam(FIELD);
        if (wanted == null || wanted.equals(AUTO) || languages.messages(wanted) == null) {
            ctx.removeCookie(COOKIE, "/");
        } else {
            Cookie cookie = new Cookie(COOKIE, wanted, "/", COOKIE_SECONDS, ctx.req().isSecure(), true, null,
                    SameSite.LAX);
            ctx.cookie(cookie);
        }
        // Post, then redirect, then get: reloading the page does not post the form again.
        ctx.redirect(back(ctx.header("Referer")), HttpStatus.SEE_OTHER);
    }

    /** Where the menu was used: the referring page's path and query on this server, else the home page. */
    static String back(String referer) {
        if (referer == null) {
            return "/";
        }
        try {
            URI uri = new URI(referer);
            String path = uri.getRawPath();
            if (path == null || !path.startsWith("/") || path.startsWith("//") || path.equals(PATH)) {
                return "/";
            }
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        } catch (URISyntaxException e) {
            return "/";
        }
    }
}
