package org.offlinecommons.web.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.offlinecommons.sync.SyncTree;
import org.offlinecommons.web.HttpProblem;

/**
 * Every JSON request body is read here, under one rule: it is sent as {@code application/json},
 * or with no type at all as programs do. A page on another site can post a form or
 * {@code text/plain} without asking, but not JSON, so such bodies are refused (415) before
 * anything is looked at. Fields are read with the checks every API shares.
 */
public final class JsonBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonBody() {
    }

    /** The body as a JSON object. */
    public static JsonNode object(Context ctx) {
        requireJsonType(ctx);
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (JsonProcessingException e) {
            throw HttpProblem.badRequest("problem.json.invalid", e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpProblem.badRequest("problem.json.unreadable");
        }
        if (body == null || !body.isObject()) {
            throw HttpProblem.badRequest("problem.json.notObject");
        }
        return body;
    }

    /** As {@link #object}, or an empty object when there is no body. */
    public static JsonNode objectOrEmpty(Context ctx) {
        return ctx.body().isBlank() ? JSON.createObjectNode() : object(ctx);
    }

    /** The body bound to a record; {@code example} shows what is expected. */
    public static <T> T as(Context ctx, Class<T> type, String example) {
        requireJsonType(ctx);
        T value;
        try {
            value = JSON.readValue(ctx.bodyAsBytes(), type);
        } catch (IOException e) {
            throw HttpProblem.badRequest("problem.json.like", example);
        }
        if (value == null) {
            throw HttpProblem.badRequest("problem.json.like", example);
        }
        return value;
    }

    public static boolean isJson(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    /** A list of pack ids, or empty when the field is absent or null (which means every pack). */
    public static List<String> packIds(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw HttpProblem.badRequest("problem.json.packs");
        }
        for (JsonNode n : node) {
            out.add(packId(n.isTextual() ? n.asText() : n.toString()));
        }
        return out;
    }

    public static String packId(String id) {
        if (!SyncTree.isPackId(id)) {
            throw HttpProblem.badRequest("problem.json.packId", id.length() > 80 ? id.substring(0, 80) + "..." : id);
        }
        return id;
    }

    /** An optional boolean field: absent and null are false. */
    public static boolean flag(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n != null && !n.isNull() && !n.isBoolean()) {
            throw HttpProblem.badRequest("problem.json.flag", field);
        }
        return n != null && n.asBoolean();
    }

    /** An optional text field, or null; at most {@code maxLength} characters. */
    public static String text(JsonNode body, String field, int maxLength, String what) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().length() > maxLength) {
            throw HttpProblem.badRequest("problem.json.text", field, maxLength);
        }
        return n.asText();
    }

    private static void requireJsonType(Context ctx) {
        String type = ctx.contentType();
        if (type != null && !isJson(ctx)) {
            throw HttpProblem.said(415, "unsupported_media_type", "problem.json.type");
        }
    }
}
