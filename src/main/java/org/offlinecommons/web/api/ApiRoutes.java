package org.offlinecommons.web.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.offlinecommons.app.PackShelf;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.SearchIndex;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.Messages;

/** The read-only JSON API under {@code /api/v1}. */
public final class ApiRoutes {

    private final Library library;
    private final JobRunner jobs;
    private final SearchJson search;
    private final SuggestJson suggest;
    private final PackShelf shelf;

    public ApiRoutes(Library library, JobRunner jobs, ObjectMapper json, PackShelf shelf) {
        this.library = library;
        this.jobs = jobs;
        this.shelf = shelf;
        this.search = new SearchJson(library, json);
        this.suggest = new SuggestJson(library, json);
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/packs", ctx -> ctx.json(Map.of("packs",
                library.catalog().packs().stream().map(p -> PackJson.summary(shelf.shelved(p))).toList())));
        config.routes.get("/api/v1/packs/{id}", ctx -> {
            String id = ctx.pathParam("id");
            PackRecord pack = library.catalog().pack(id)
                    .orElseThrow(() -> HttpProblem.notFound("error.noPack", id));
            // Items come a page at a time: a pack of a million pages would otherwise be one answer
            // of hundreds of megabytes.
            int limit = intParam(ctx, "limit", PackJson.DEFAULT_ITEMS, 1, PackJson.MAX_ITEMS);
            int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            ctx.json(PackJson.detail(shelf.shelved(pack), library.catalog().items(id, offset, limit), offset, limit));
        });
        config.routes.get("/api/v1/search", this::search);
        config.routes.get("/api/v1/suggest", suggest::handle);
        config.routes.get("/api/v1/jobs", ctx -> ctx.json(Map.of("jobs", jobs.recent())));
        config.routes.get("/api/v1/jobs/{id}", ctx -> ctx.json(jobs.status(ctx.pathParam("id"))
                .orElseThrow(() -> HttpProblem.notFound("problem.noJob", ctx.pathParam("id")))));
    }

    private void search(Context ctx) {
        String q = ctx.queryParam("q");
        SearchJson.Request request = new SearchJson.Request(q == null ? "" : q, blankToNull(ctx.queryParam("pack")),
                intParam(ctx, "limit", 20, 1, SearchIndex.MAX_LIMIT), intParam(ctx, "offset", 0, 0, 100_000));
        // Cache-Control: no-cache asks for an answer computed now (scripts/bench measures both).
        String cacheControl = ctx.header("Cache-Control");
        boolean fresh = cacheControl != null && cacheControl.contains("no-cache");
        byte[] known = search.known(request, fresh);
        if (known != null) {
            ctx.contentType("application/json").result(known);
            return;
        }
        // Built on the search gate's thread: a search waiting for its turn holds no request thread.
        ctx.future(() -> Messages.inThisLanguage(library.search().gate()::submit, () -> search.answer(request, fresh))
                .thenAccept(json -> ctx.contentType("application/json").result(json)));
    }

    public static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v.strip())));
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("problem.wholeNumber", name);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
