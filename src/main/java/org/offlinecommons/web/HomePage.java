package org.offlinecommons.web;

import io.javalin.config.JavalinConfig;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;

/** A plain list of the packs; the full reading interface replaces it. */
final class HomePage {

    private final Library library;

    HomePage(Library library) {
        this.library = library;
    }

    void register(JavalinConfig config) {
        config.routes.get("/", ctx -> {
            StringBuilder html = new StringBuilder("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
                    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    + "<title>Offline Commons</title><h1>Offline Commons</h1><ul>");
            for (PackRecord p : library.catalog().packs()) {
                html.append("<li><a href=\"").append(Html.escape(ContentUrls.packRoot(p.id()))).append("\">")
                        .append(Html.escape(p.title())).append("</a></li>");
            }
            ctx.html(html.append("</ul></html>").toString());
        });
    }
}
