package org.offlinecommons.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The one JSON reader and writer of the sync tree. Strict in what it reads (duplicate keys,
 * trailing garbage and deep nesting are errors), and floats stay decimal so that a pack.json
 * embedded in a manifest comes back out with the same digest.
 */
final class SyncJson {

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private SyncJson() {
    }

    static JsonNode readObject(byte[] bytes, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw invalid(source, "is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) {
            throw invalid(source, "must be a JSON object");
        }
        return root;
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("Writing JSON to memory cannot fail", e);
        }
    }

    static void requireFormat(JsonNode root, String source) {
        JsonNode format = root.get("format");
        if (format == null || !format.isIntegralNumber() || format.asLong() != SyncTree.FORMAT) {
            throw invalid(source, "'format' must be " + SyncTree.FORMAT + " (this is sync protocol v1); it is "
                    + (format == null ? "missing" : format.toString()));
        }
    }

    static long wholeNumber(JsonNode obj, String field, long min, long max, String source, String at) {
        JsonNode n = obj.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw invalid(source, at + "'" + field + "' must be a whole number from " + min + " to " + max);
        }
        return n.asLong();
    }

    static String text(JsonNode obj, String field, int maxChars, String source, String at) {
        JsonNode n = obj.get(field);
        if (n == null || !n.isTextual()) {
            throw invalid(source, at + "'" + field + "' is missing or not text");
        }
        String s = n.asText();
        if (s.length() > maxChars) {
            throw invalid(source, at + "'" + field + "' is longer than " + maxChars + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                throw invalid(source, at + "'" + field + "' contains a control character");
            }
        }
        return s;
    }

    static SyncException invalid(String source, String problem) {
        return new SyncException(SyncException.Reason.INVALID_PEER, source + ": " + problem);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
