package org.offlinecommons.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.PackRecord;

/** catalog.json: a server's identity and the packs it offers, one version of each. */
public record PeerCatalog(ServerIdentity server, List<Entry> packs) {

    /** A pack on offer. {@code digest} is the SHA-256 of its canonical pack.json. */
    public record Entry(String id, long version, String title, String language, long size, String digest) {

        static Entry of(PackRecord p) {
            return new Entry(p.id(), p.version(), p.title(), p.language(), p.totalSize(), p.digest());
        }
    }

    private static final int MAX_TITLE_CHARS = 10_000;

    public PeerCatalog {
        packs = List.copyOf(packs);
    }

    public Optional<Entry> pack(String id) {
        return packs.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public byte[] toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", SyncTree.FORMAT);
        root.putObject("server").put("id", server.id()).put("name", server.name());
        ArrayNode list = root.putArray("packs");
        for (Entry e : packs) {
            list.addObject().put("id", e.id()).put("version", e.version()).put("title", e.title())
                    .put("language", e.language()).put("size", e.size()).put("digest", e.digest());
        }
        return SyncJson.write(root);
    }

    /**
     * Reads a peer's catalog.json, checking every field; unknown fields are ignored so that later
     * versions of the protocol can add some. {@code source} names it in messages.
     */
    public static PeerCatalog parse(byte[] bytes, String source) {
        if (bytes.length > SyncTree.MAX_CATALOG_BYTES) {
            throw SyncJson.invalid(source, "is larger than " + (SyncTree.MAX_CATALOG_BYTES >> 20) + " MB");
        }
        JsonNode root = SyncJson.readObject(bytes, source);
        SyncJson.requireFormat(root, source);
        JsonNode server = root.get("server");
        if (server == null || !server.isObject()) {
            throw SyncJson.invalid(source, "'server' must be an object with the server's id and name");
        }
        String serverId = SyncJson.text(server, "id", 128, source, "server: ");
        if (serverId.isBlank()) {
            throw SyncJson.invalid(source, "server: 'id' must not be empty");
        }
        String name = SyncJson.text(server, "name", ServerIdentity.MAX_NAME_CHARS, source, "server: ");
        JsonNode packsNode = root.get("packs");
        if (packsNode == null || !packsNode.isArray()) {
            throw SyncJson.invalid(source, "'packs' must be a list");
        }
        List<Entry> packs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int i = 0;
        for (JsonNode p : packsNode) {
            String at = "packs[" + i++ + "]: ";
            if (!p.isObject()) {
                throw SyncJson.invalid(source, at + "must be an object");
            }
            String id = SyncJson.text(p, "id", 64, source, at);
            if (!SyncTree.isPackId(id)) {
                throw SyncJson.invalid(source, at + "'" + id + "' is not a pack id (1 to 64 lowercase letters,"
                        + " digits or '-')");
            }
            at = "pack '" + id + "': ";
            if (!ids.add(id)) {
                throw SyncJson.invalid(source, at + "is listed twice");
            }
            long version = SyncJson.wholeNumber(p, "version", 1, Long.MAX_VALUE, source, at);
            String title = SyncJson.text(p, "title", MAX_TITLE_CHARS, source, at);
            String language = SyncJson.text(p, "language", 64, source, at);
            long size = SyncJson.wholeNumber(p, "size", 0, Long.MAX_VALUE, source, at);
            String digest = SyncJson.text(p, "digest", 64, source, at);
            if (!Hashes.isSha256Hex(digest)) {
                throw SyncJson.invalid(source, at + "'digest' must be 64 lowercase hexadecimal digits");
            }
            packs.add(new Entry(id, version, title, language, size, digest));
        }
        return new PeerCatalog(new ServerIdentity(serverId, name), packs);
    }
}
