package org.offlinecommons.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.SearchIndex;
import org.offlinecommons.store.SearchResults;

/** The read-only JSON API under {@code /api/v1}. */
final class ApiRoutes {

    /** As many as SearchIndex keeps; an answer is a few KB of JSON. */
    private static final int RENDERED_ANSWERS = 1024;

    private final Library library;
    private final JobRunner jobs;
    private final ObjectMapper json;
    private final Map<SearchRequest, Rendered> rendered = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SearchRequest, Rendered> eldest) {
            return size() > RENDERED_ANSWERS;
        }
    };

    private record SearchRequest(String q, String pack, int limit, int offset) {
    }

    /** An answer's JSON, valid while the library is at {@code generation}. */
    private record Rendered(long generation, byte[] json) {
    }

    ApiRoutes(Library library, JobRunner jobs, ObjectMapper json) {
        this.library = library;
        this.jobs = jobs;
        this.json = json;
    }

    void register(JavalinConfig config) {
        config.routes.get("/api/v1/packs", ctx -> ctx.json(Map.of("packs",
                library.catalog().packs().stream().map(PackJson::summary).toList())));
        config.routes.get("/api/v1/packs/{id}", ctx -> {
            String id = ctx.pathParam("id");
            PackRecord pack = library.catalog().pack(id)
                    .orElseThrow(() -> HttpProblem.notFound("There is no pack '" + id + "' in this library"));
            // Items come a page at a time: a pack of a million pages would otherwise be one answer
            // of hundreds of megabytes.
            int limit = intParam(ctx, "limit", PackJson.DEFAULT_ITEMS, 1, PackJson.MAX_ITEMS);
            int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            ctx.json(PackJson.detail(pack, library.catalog().items(id, offset, limit), offset, limit));
        });
        config.routes.get("/api/v1/search", this::search);
        config.routes.get("/api/v1/jobs", ctx -> ctx.json(Map.of("jobs", jobs.recent())));
        config.routes.get("/api/v1/jobs/{id}", ctx -> ctx.json(jobs.status(ctx.pathParam("id"))
                .orElseThrow(() -> HttpProblem.notFound("There is no job '" + ctx.pathParam("id") + "'"))));
    }

    private void search(Context ctx) {
        String q = ctx.queryParam("q");
        String pack = blankToNull(ctx.queryParam("pack"));
        int limit = intParam(ctx, "limit", 20, 1, SearchIndex.MAX_LIMIT);
        int offset = intParam(ctx, "offset", 0, 0, 100_000);
        // Cache-Control: no-cache asks for an answer computed now (scripts/bench measures both).
        String cacheControl = ctx.header("Cache-Control");
        boolean fresh = cacheControl != null && cacheControl.contains("no-cache");
        SearchRequest request = new SearchRequest(q == null ? "" : q, pack, limit, offset);
        // A class types the same words: an answer asked for again is sent as it was rendered,
        // without the index, a database connection or building the JSON, which cost 5 x more.
        long generation = library.generation();
        Rendered known;
        synchronized (rendered) {
            known = fresh ? null : rendered.get(request);
        }
        if (known != null && known.generation() == generation) {
            ctx.contentType("application/json").result(known.json());
            return;
        }
        SearchResults results = fresh
                ? library.search().searchFresh(request.q(), pack, limit, offset)
                : library.search().search(request.q(), pack, limit, offset);
        List<Map<String, Object>> hits = results.hits().stream().map(h -> Map.<String, Object>of(
                "pack", h.packId(),
                "packTitle", h.packTitle(),
                "position", h.item().position(),
                "path", h.item().path(),
                "title", h.item().title(),
                "kind", h.item().kind(),
                "url", ContentUrls.file(h.packId(), h.item().path()),
                "snippet", h.snippet().replace(SearchIndex.MARK_START, '[').replace(SearchIndex.MARK_END, ']'),
                "snippetHtml", SnippetHtml.render(h.snippet()))).toList();
        byte[] answer;
        try {
            answer = json.writeValueAsBytes(Map.of("query", results.query(), "total", results.total(),
                    "offset", results.offset(), "hits", hits));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("search answer could not be written as JSON", e);
        }
        synchronized (rendered) {
            rendered.put(request, new Rendered(generation, answer));
        }
        ctx.contentType("application/json").result(answer);
    }

    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v.strip())));
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("'" + name + "' must be a whole number");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
