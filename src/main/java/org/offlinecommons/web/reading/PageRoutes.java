package org.offlinecommons.web.reading;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.function.Supplier;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.web.Layout;
import org.offlinecommons.web.Messages;
import org.offlinecommons.web.StaticAssets;
import org.offlinecommons.web.Templates;
import org.offlinecommons.web.content.ContentUrls;
import org.offlinecommons.web.http.AcceptEncoding;
import org.offlinecommons.web.http.ErrorPages;

/**
 * The reading pages for people: {@code /} (packs), {@code /pack/{id}} (contents),
 * {@code /read/{id}/{position}} (an item) and {@code /search}. Plain HTML that works without
 * JavaScript; web pages of packs are served as they are by {@link ContentRoutes}.
 */
public final class PageRoutes {

    public static final String HTML = "text/html; charset=utf-8";

    private final LibraryPages pages;
    private final Templates templates;
    private final Messages messages;
    private final ErrorPages errorPages;
    private final RenderedPages rendered;

    public PageRoutes(LibraryPages pages, Templates templates, Messages messages) {
        this.pages = pages;
        this.templates = templates;
        this.messages = messages;
        this.errorPages = new ErrorPages(pages, templates, messages);
        this.rendered = new RenderedPages(pages.library());
    }

    /** Everything the pages need, from the library and the interface's words and files. */
    public static PageRoutes create(Library library, Messages messages, StaticAssets assets, Templates templates) {
        return new PageRoutes(new LibraryPages(library, messages, baseLayout(messages, assets)), templates, messages);
    }

    /** Pages that offer each pack's downloads as {@code shelf} says. */
    public static PageRoutes create(Library library, Messages messages, StaticAssets assets, Templates templates,
                                    org.offlinecommons.app.PackShelf shelf) {
        return new PageRoutes(new LibraryPages(library, messages, baseLayout(messages, assets), shelf), templates,
                messages);
    }

    public static Layout baseLayout(Messages messages, StaticAssets assets) {
        return new Layout(messages, assets.url("app.css"), assets.url("icon.svg"), assets.url("suggest.js"), null, null,
                null);
    }

    /** Error answers in the same layout, for {@link ErrorMapping}. */
    public ErrorPages errorPages() {
        return errorPages;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/", ctx -> {
            String language = ctx.queryParam("lang");
            kept(ctx, "home", language == null ? "" : language, 0,
                    () -> templates.render("home.jte", pages.home(language)));
        });
        config.routes.get("/pack/{id}", ctx -> {
            String id = ctx.pathParam("id");
            int number = pageNumber(ctx);
            kept(ctx, "pack", id, number, () -> templates.render("pack.jte", pages.pack(id, number)));
        });
        config.routes.get("/read/{id}/{position}", this::read);
        config.routes.get("/search", this::search);
    }

    /** The page is built on the search gate's thread, so a search waiting for its turn holds no request thread. */
    private void search(Context ctx) {
        String q = ctx.queryParam("q");
        String pack = ctx.queryParam("pack");
        int page = pageNumber(ctx);
        ctx.future(() -> Messages.inThisLanguage(work -> pages.whenSearchAllows(q, pack, page, work),
                () -> templates.render("search.jte", pages.search(q, pack, page)))
                .thenAccept(html -> ctx.contentType(HTML).result(html)));
    }

    private void read(Context ctx) {
        String packId = ctx.pathParam("id");
        Item item = pages.item(packId, ctx.pathParam("position"));
        if (LibraryPages.isWebPage(item)) {
            ctx.redirect(ContentUrls.file(packId, item.path()));
            return;
        }
        page(ctx, "reader.jte", pages.read(packId, item));
    }

    /** A page that stays the same for everyone speaking this language until the library changes. */
    private void kept(Context ctx, String page, String argument, int number, Supplier<byte[]> render) {
        RenderedPages.Key key = new RenderedPages.Key(page, argument, number, messages.locale(),
                pages.downloadsPrepared());
        RenderedPages.Page kept = rendered.get(key, render);
        ctx.contentType(HTML);
        if (kept.gzipped() != null && AcceptEncoding.gzip(ctx.header("Accept-Encoding"))) {
            // Javalin compresses no answer that already says how it is encoded.
            ctx.header("Content-Encoding", "gzip").result(kept.gzipped());
        } else {
            ctx.result(kept.plain());
        }
    }

    private void page(Context ctx, String template, Object view) {
        ctx.contentType(HTML).result(templates.render(template, view));
    }

    /** A bad page number is not worth an error page: the first page is what was meant. */
    private static int pageNumber(Context ctx) {
        String p = ctx.queryParam("page");
        if (p == null) {
            return 1;
        }
        try {
            return Integer.parseInt(p.strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
