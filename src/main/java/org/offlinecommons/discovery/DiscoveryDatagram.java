package org.offlinecommons.discovery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The datagrams of the broadcast fallback: one UTF-8 JSON object of at most {@value #MAX_BYTES}
 * bytes, {@code "oc": 1} naming this format. Anyone on the LAN can send anything to the port,
 * so decoding checks every field and refuses the rest (docs/sync-protocol.md, "Discovery").
 */
public final class DiscoveryDatagram {

    /** The datagram format, distinct from the sync protocol version the announcement carries. */
    public static final int FORMAT = 1;
    /** Well below any LAN's MTU: one datagram is never fragmented. */
    public static final int MAX_BYTES = 1024;

    /** A decoded datagram. */
    public sealed interface Message permits Announce, Query {
        /** The sender's server id, to recognise our own datagrams coming back. */
        String senderId();
    }

    /** "Here I am": sent every 30 s, at start, and when the catalog changes. */
    public record Announce(Announcement announcement) implements Message {
        @Override
        public String senderId() {
            return announcement.serverId();
        }
    }

    /** "Who is there?": every server that hears it answers with an Announce sent straight back. */
    public record Query(String senderId) implements Message {
    }

    /** A datagram that is not one of ours, or a malformed one. */
    public static final class BadDatagramException extends Exception {
        BadDatagramException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4)
                    .maxStringLength(MAX_BYTES).maxNumberLength(20).build())
            .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private DiscoveryDatagram() {
    }

    public static byte[] announce(Announcement a) {
        ObjectNode n = header("announce", a.serverId());
        n.put("name", a.name()).put("proto", a.protocol()).put("scheme", a.scheme()).put("port", a.port())
                .put("packs", a.packCount()).put("digest", a.catalogDigest());
        return write(n);
    }

    public static byte[] query(String senderId) {
        return write(header("query", senderId));
    }

    public static Message decode(byte[] data, int offset, int length) throws BadDatagramException {
        if (length > MAX_BYTES) {
            throw new BadDatagramException("larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(data, offset, length);
        } catch (IOException | RuntimeException e) {
            throw new BadDatagramException("not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new BadDatagramException("not a JSON object");
        }
        JsonNode format = root.get("oc");
        if (format == null || !format.isInt() || format.intValue() != FORMAT) {
            throw new BadDatagramException("'oc' is not " + FORMAT + " (not an Offline Commons datagram, or a later"
                    + " format)");
        }
        String type = text(root, "type");
        String id = text(root, "id");
        try {
            return switch (type) {
                case "query" -> new Query(Announcement.requireId(id));
                case "announce" -> new Announce(new Announcement(id, text(root, "name"), number(root, "proto"),
                        text(root, "scheme"), number(root, "port"), number(root, "packs"), text(root, "digest")));
                default -> throw new BadDatagramException("unknown type '" + type + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new BadDatagramException(e.getMessage());
        }
    }

    private static ObjectNode header(String type, String senderId) {
        return JsonNodeFactory.instance.objectNode().put("oc", FORMAT).put("type", type).put("id", senderId);
    }

    private static byte[] write(ObjectNode n) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(n);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalStateException("an announcement came out larger than " + MAX_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("Writing JSON to memory cannot fail", e);
        }
    }

    private static String text(JsonNode root, String field) throws BadDatagramException {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) {
            throw new BadDatagramException("'" + field + "' is missing or not text");
        }
        return n.textValue();
    }

    private static int number(JsonNode root, String field) throws BadDatagramException {
        JsonNode n = root.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new BadDatagramException("'" + field + "' is missing or not a whole number");
        }
        return n.intValue();
    }
}
