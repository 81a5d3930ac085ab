package org.offlinecommons.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.offlinecommons.store.GenerationCache;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.TitleSuggestions;
import org.offlinecommons.web.Messages;
import org.offlinecommons.web.http.EntityTags;
import org.offlinecommons.web.reading.PageUrls;

/**
 * {@code GET /api/v1/suggest?q=pho&pack=science&limit=8}: titles for the search box while a
 * person types (see {@link TitleSuggestions}), each with the address that opens it. Asked on
 * every pause in typing by every pupil of a class: answers are kept rendered, as
 * {@link SearchJson} keeps its own, and browsers may reuse one for a short while and then ask
 * again with its ETag.
 */
final class SuggestJson {

    /** How long a browser may reuse an answer without asking: a pack deleted since is offered that long. */
    static final String CACHE_CONTROL = "public, max-age=30";
    private static final int MAX_PACK_ID_CHARS = 64;
    /** A few hundred bytes each. */
    private static final int RENDERED_ANSWERS = 2048;

    private record Request(String q, String pack, int limit) {
    }

    private record Answer(byte[] body, String etag) {
    }

    private final Library library;
    private final ObjectMapper json;
    private final GenerationCache<Request, Answer> rendered = new GenerationCache<>(RENDERED_ANSWERS);

    SuggestJson(Library library, ObjectMapper json) {
        this.library = library;
        this.json = json;
    }

    void handle(Context ctx) {
        String q = ctx.queryParam("q");
        String pack = ctx.queryParam("pack");
        // Kept as cache keys: never longer than what can matter (a query is cut there anyway, a
        // pack id has at most 64 characters; "-" names no pack, as none starts with '-').
        q = q == null ? "" : cut(q, TitleSuggestions.MAX_QUERY_CHARS);
        pack = pack == null || pack.isBlank() ? null : pack.length() > MAX_PACK_ID_CHARS ? "-" : pack;
        Request request = new Request(q, pack,
                ApiRoutes.intParam(ctx, "limit", TitleSuggestions.DEFAULT_LIMIT, 1, TitleSuggestions.MAX_LIMIT));
        Answer known = rendered.get(request, library.generation());
        if (known != null) {
            send(ctx, known);
            return;
        }
        // Computed on the search gate's thread: a question waiting for its turn holds no request thread.
        ctx.future(() -> Messages.inThisLanguage(library.search().gate()::submit, () -> answer(request))
                .thenAccept(answer -> send(ctx, answer)));
    }

    private static void send(Context ctx, Answer answer) {
        ctx.header("Cache-Control", CACHE_CONTROL);
        ctx.header("ETag", answer.etag());
        if (EntityTags.noneMatchFails(ctx.header("If-None-Match"), answer.etag())) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json").result(answer.body());
    }

    /** The first {@code max} characters or fewer, never half of a surrogate pair (JSON cannot hold it). */
    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        return s.substring(0, Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max);
    }

    private Answer answer(Request request) {
        long generation = library.generation();
        Answer known = rendered.get(request, generation);
        if (known != null) {
            return known;
        }
        List<TitleSuggestions.Suggestion> found = library.suggestions().suggest(request.q(), request.pack(),
                request.limit());
        byte[] body = render(request.q(), found);
        Answer answer = new Answer(body, "\"" + Hashes.sha256Hex(body).substring(0, 20) + "\"");
        rendered.put(request, generation, answer);
        return answer;
    }

    private byte[] render(String q, List<TitleSuggestions.Suggestion> found) {
        List<Map<String, Object>> suggestions = found.stream().map(s -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("title", s.item().title());
            one.put("pack", s.packId());
            one.put("packTitle", s.packTitle());
            one.put("position", s.item().position());
            one.put("path", s.item().path());
            one.put("kind", s.item().kind());
            one.put("url", PageUrls.item(s.packId(), s.item()));
            return one;
        }).toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("query", q);
        answer.put("suggestions", suggestions);
        try {
            return json.writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("suggestions could not be written as JSON", e);
        }
    }
}
