package org.offlinecommons.web.opds;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.offlinecommons.app.PackDownloads;
import org.offlinecommons.app.PackShelf;
import org.offlinecommons.store.Library;
import org.offlinecommons.web.HttpProblem;

/**
 * The OPDS 1.2 catalog: {@code /opds} (navigation: all packs, newest, by language), the acquisition
 * feeds {@code /opds/all}, {@code /opds/new}, {@code /opds/language/{tag}} (a page of packs each, with
 * {@code ?page=N}), {@code /opds/languages}, OpenSearch ({@code /opds/search.xml}, {@code /opds/search?q=}),
 * and each pack's icon.
 */
public final class OpdsRoutes {

    private final Library library;
    private final PackShelf shelf;

    public OpdsRoutes(Library library, PackShelf shelf) {
        this.library = library;
        this.shelf = shelf;
    }

    static String iconUrl(String packId) {
        return "/opds/icon/" + packId + ".png";
    }

    public void register(JavalinConfig config) {
        config.routes.get("/opds", ctx -> feed(ctx, OpdsFeed.NAVIGATION, OpdsFeed.navigation("urn:offline-commons:opds",
                "Offline Commons", "/opds", updated(), root())));
        config.routes.get("/opds/all", ctx -> feed(ctx, OpdsFeed.ACQUISITION, OpdsFeed.acquisition(
                "urn:offline-commons:opds:all", "All packs", "/opds/all", shelf.all(page(ctx)))));
        config.routes.get("/opds/new", ctx -> feed(ctx, OpdsFeed.ACQUISITION, OpdsFeed.acquisition(
                "urn:offline-commons:opds:new", "Newest packs", "/opds/new", shelf.newest(page(ctx)))));
        config.routes.get("/opds/languages", ctx -> feed(ctx, OpdsFeed.NAVIGATION, OpdsFeed.navigation(
                "urn:offline-commons:opds:languages", "Packs by language", "/opds/languages", updated(), languages())));
        config.routes.get("/opds/language/{tag}", this::language);
        config.routes.get("/opds/icon/{id}.png", this::icon);
        config.routes.get(OpdsFeed.SEARCH_DESCRIPTION, ctx -> ctx.contentType(OpdsFeed.OPENSEARCH + ";charset=utf-8")
                .result(OpdsFeed.searchDescription()));
        config.routes.get("/opds/search", this::search);
    }

    private void language(Context ctx) {
        String tag = ctx.pathParam("tag").toLowerCase(Locale.ROOT);
        if (!tag.matches("[a-z]{2,8}")) {
            throw HttpProblem.notFound("problem.noLanguage", tag);
        }
        feed(ctx, OpdsFeed.ACQUISITION, OpdsFeed.acquisition("urn:offline-commons:opds:language:" + tag,
                "Packs in " + name(tag), "/opds/language/" + tag, shelf.language(tag, page(ctx))));
    }

    private void search(Context ctx) {
        String q = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").strip();
        if (q.length() > 200) {
            throw HttpProblem.badRequest("problem.searchTooLong", 200);
        }
        String self = "/opds/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
        feed(ctx, OpdsFeed.ACQUISITION, OpdsFeed.acquisition("urn:offline-commons:opds:search:"
                + URLEncoder.encode(q, StandardCharsets.UTF_8), "Search: " + q, self, shelf.search(q, page(ctx))));
    }

    private void icon(Context ctx) {
        String id = ctx.pathParam("id");
        library.catalog().pack(id).orElseThrow(() -> HttpProblem.notFound("error.noPack", id));
        ctx.contentType("image/png").header("Cache-Control", "max-age=86400").result(PackDownloads.icon(id));
    }

    private static void feed(Context ctx, String type, String xml) {
        ctx.contentType(type + ";charset=utf-8").result(xml);
    }

    private List<OpdsFeed.Nav> root() {
        return List.of(
                new OpdsFeed.Nav("urn:offline-commons:opds:all", "All packs", "Every pack of this library, by title.",
                        "/opds/all", "subsection", OpdsFeed.ACQUISITION),
                new OpdsFeed.Nav("urn:offline-commons:opds:new", "Newest packs", "The packs added last come first.",
                        "/opds/new", OpdsFeed.SORT_NEW, OpdsFeed.ACQUISITION),
                new OpdsFeed.Nav("urn:offline-commons:opds:languages", "By language", "The packs of each language.",
                        "/opds/languages", "subsection", OpdsFeed.NAVIGATION));
    }

    private List<OpdsFeed.Nav> languages() {
        List<OpdsFeed.Nav> out = new ArrayList<>();
        for (String tag : shelf.languages()) {
            out.add(new OpdsFeed.Nav("urn:offline-commons:opds:language:" + tag, name(tag),
                    "Packs in " + name(tag) + ".", "/opds/language/" + tag, "subsection", OpdsFeed.ACQUISITION));
        }
        return out;
    }

    /** A language's own name ("français"), or its tag when the JDK has none. */
    private static String name(String tag) {
        Locale l = Locale.forLanguageTag(tag);
        String own = l.getDisplayLanguage(l);
        return own.isEmpty() || own.equals(tag) ? tag : own;
    }

    private Instant updated() {
        return library.catalog().packs().stream().map(p -> Instant.ofEpochMilli(p.installedAt()))
                .max(Instant::compareTo).orElse(Instant.EPOCH);
    }

    private static int page(Context ctx) {
        String p = ctx.queryParam("page");
        try {
            return p == null ? 1 : Math.max(1, Math.min(1_000_000, Integer.parseInt(p)));
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("problem.pageNumber", p);
        }
    }
}
