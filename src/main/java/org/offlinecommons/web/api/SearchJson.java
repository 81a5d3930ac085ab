package org.offlinecommons.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.offlinecommons.store.GenerationCache;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.SearchIndex;
import org.offlinecommons.store.SearchResults;
import org.offlinecommons.web.content.ContentUrls;
import org.offlinecommons.web.reading.SnippetHtml;

/**
 * Search answers as the JSON {@code GET /api/v1/search} sends. A class types the same words: an
 * answer asked for again is sent as it was rendered, without the index, a database connection
 * or building the JSON, which cost 5 x more. This cache is a layer over the search index's own
 * cache of results, and like it is valid for one generation of the library.
 */
final class SearchJson {

    /** As many as SearchIndex keeps; an answer is a few KB of JSON. */
    private static final int RENDERED_ANSWERS = 1024;

    /** What was asked: the words, the pack or null for all, and the page. */
    record Request(String q, String pack, int limit, int offset) {
    }

    private final Library library;
    private final ObjectMapper json;
    private final GenerationCache<Request, byte[]> rendered = new GenerationCache<>(RENDERED_ANSWERS);

    SearchJson(Library library, ObjectMapper json) {
        this.library = library;
        this.json = json;
    }

    /** The answer if it is at hand (and not asked {@code fresh}), else null: it needs a turn at the search gate. */
    byte[] known(Request request, boolean fresh) {
        return fresh ? null : rendered.get(request, library.generation());
    }

    /** @param fresh computed now, from neither cache (the client sent Cache-Control: no-cache) */
    byte[] answer(Request request, boolean fresh) {
        long generation = library.generation();
        byte[] known = fresh ? null : rendered.get(request, generation);
        if (known != null) {
            return known;
        }
        SearchResults results = fresh
                ? library.search().searchFresh(request.q(), request.pack(), request.limit(), request.offset())
                : library.search().search(request.q(), request.pack(), request.limit(), request.offset());
        byte[] answer = render(results);
        rendered.put(request, generation, answer);
        return answer;
    }

    private byte[] render(SearchResults results) {
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
        try {
            Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("query", results.query());
            answer.put("total", results.total());
            answer.put("offset", results.offset());
            answer.put("hits", hits);
            // A query to try instead when this one found nothing ("did you mean"), else null.
            answer.put("suggestion", results.suggestion());
            return json.writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("search answer could not be written as JSON", e);
        }
    }
}
