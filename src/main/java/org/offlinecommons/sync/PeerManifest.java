package org.offlinecommons.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.offlinecommons.pack.ManifestCodec;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackManifest;
import org.offlinecommons.store.ChunkRef;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Hashes;

/**
 * manifest.json: a pack's pack.json and, for each distinct file content, the chunks it is made
 * of. {@code digest} is computed here from the parsed pack.json, never taken from the peer.
 */
public record PeerManifest(PackManifest pack, String digest, Map<String, FileRecipe> recipes,
                           List<ManifestPieces.Piece> pieces) {

    /** Format 2 of manifest.json: pack.json (format 2) and the pieces its files are listed in. */
    public static final int FORMAT_2 = 2;

    public PeerManifest {
        recipes = Map.copyOf(recipes);
        pieces = pieces == null ? null : List.copyOf(pieces);
    }

    public PeerManifest(PackManifest pack, String digest, Map<String, FileRecipe> recipes) {
        this(pack, digest, recipes, null);
    }

    /** Whether the files come in pieces (format 2) rather than in pack.json. */
    public boolean streamed() {
        return pieces != null;
    }

    /** The manifest.json of a format-2 pack: its pack.json and its pieces. */
    public static byte[] toJson(String packJson, java.util.Collection<org.offlinecommons.store.Catalog.SyncPiece> pieces) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT_2);
        try {
            root.set("pack", SyncJson.MAPPER.readTree(packJson));
        } catch (IOException e) {
            throw new IllegalStateException("an installed pack's pack.json is not JSON", e);
        }
        ArrayNode list = root.putArray("pieces");
        for (org.offlinecommons.store.Catalog.SyncPiece p : pieces) {
            list.addObject().put("sha256", p.hash()).put("size", p.size()).put("files", p.files());
        }
        return SyncJson.write(root);
    }

    /** The manifest.json of a pack, from its canonical pack.json and its files' recipes. */
    public static byte[] toJson(String packJson, List<FileRecipe> recipes) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", SyncTree.FORMAT);
        try {
            root.set("pack", SyncJson.MAPPER.readTree(packJson));
        } catch (IOException e) {
            throw new IllegalStateException("an installed pack's pack.json is not JSON", e);
        }
        ObjectNode chunks = root.putObject("chunks");
        for (FileRecipe r : recipes) {
            if (chunks.has(r.fileHash())) {
                continue;
            }
            ArrayNode list = chunks.putArray(r.fileHash());
            for (ChunkRef c : r.chunks()) {
                list.addObject().put("hash", c.hash()).put("size", c.size());
            }
        }
        return SyncJson.write(root);
    }

    /** Reads and checks a peer's manifest.json. {@code source} names it in messages. */
    public static PeerManifest parse(byte[] bytes, String source) {
        if (bytes.length > SyncTree.MAX_MANIFEST_BYTES) {
            throw SyncJson.invalid(source, "is larger than " + (SyncTree.MAX_MANIFEST_BYTES >> 20) + " MB");
        }
        JsonNode root = SyncJson.readObject(bytes, source);
        JsonNode format = root.get("format");
        boolean streamed = format != null && format.isIntegralNumber() && format.asLong() == FORMAT_2;
        if (!streamed) {
            SyncJson.requireFormat(root, source);
        }
        JsonNode packNode = root.get("pack");
        if (packNode == null || !packNode.isObject()) {
            throw SyncJson.invalid(source, "'pack' must be the pack's pack.json (an object)");
        }
        PackManifest pack;
        try {
            pack = ManifestCodec.parse(SyncJson.write(packNode), source + ": pack.json");
        } catch (PackException e) {
            throw new SyncException(SyncException.Reason.INVALID_PEER, e.getMessage(), e);
        }
        if (streamed != pack.streamed()) {
            throw SyncJson.invalid(source, "a manifest of format " + (streamed ? 2 : 1) + " must hold a pack.json of"
                    + " format " + (streamed ? 2 : 1));
        }
        if (streamed) {
            return new PeerManifest(pack, ManifestCodec.digest(pack), Map.of(), pieces(root, pack, source));
        }
        JsonNode chunksNode = root.get("chunks");
        if (chunksNode == null || !chunksNode.isObject()) {
            throw SyncJson.invalid(source, "'chunks' must be an object mapping each file's sha256 to its chunks");
        }
        Map<String, Long> chunkSizes = new HashMap<>();
        Map<String, FileRecipe> recipes = new LinkedHashMap<>();
        for (PackManifest.FileEntry f : pack.files()) {
            if (recipes.containsKey(f.sha256())) {
                continue;
            }
            recipes.put(f.sha256(), recipe(f, chunksNode.get(f.sha256()), chunkSizes, source));
        }
        Iterator<String> listed = chunksNode.fieldNames();
        while (listed.hasNext()) {
            String key = listed.next();
            if (!recipes.containsKey(key)) {
                throw SyncJson.invalid(source, "'chunks' lists '" + shortened(key) + "', which is no file of the pack");
            }
        }
        return new PeerManifest(pack, ManifestCodec.digest(pack), recipes);
    }

    private static List<ManifestPieces.Piece> pieces(JsonNode root, PackManifest pack, String source) {
        JsonNode list = root.get("pieces");
        if (list == null || !list.isArray()) {
            throw SyncJson.invalid(source, "'pieces' must list the pieces of the pack's file list");
        }
        List<ManifestPieces.Piece> out = new ArrayList<>(list.size());
        long files = 0;
        int i = 0;
        for (JsonNode p : list) {
            String at = "pieces[" + i++ + "]: ";
            if (!p.isObject()) {
                throw SyncJson.invalid(source, at + "must be an object with sha256, size and files");
            }
            String hash = SyncJson.text(p, "sha256", 64, source, at);
            if (!Hashes.isSha256Hex(hash)) {
                throw SyncJson.invalid(source, at + "'sha256' must be 64 lowercase hexadecimal digits");
            }
            long size = SyncJson.wholeNumber(p, "size", 1, ManifestPieces.MAX_PIECE_BYTES, source, at);
            long n = SyncJson.wholeNumber(p, "files", 1, ManifestPieces.MAX_FILES, source, at);
            files += n;
            out.add(new ManifestPieces.Piece(hash, size, (int) n));
        }
        if (files != pack.fileCount()) {
            throw SyncJson.invalid(source, "its pieces hold " + files + " files, but pack.json counts "
                    + pack.fileCount());
        }
        return out;
    }

    private static FileRecipe recipe(PackManifest.FileEntry f, JsonNode list, Map<String, Long> chunkSizes,
                                     String source) {
        String at = "file '" + f.path() + "': ";
        if (list == null || !list.isArray()) {
            throw SyncJson.invalid(source, at + "its chunk list is missing");
        }
        List<ChunkRef> refs = new ArrayList<>(list.size());
        long sum = 0;
        int i = 0;
        for (JsonNode c : list) {
            String where = at + "chunk " + i++ + ": ";
            if (!c.isObject()) {
                throw SyncJson.invalid(source, where + "must be an object with hash and size");
            }
            String hash = SyncJson.text(c, "hash", 64, source, where);
            if (!Hashes.isSha256Hex(hash)) {
                throw SyncJson.invalid(source, where + "'hash' must be 64 lowercase hexadecimal digits");
            }
            long size = SyncJson.wholeNumber(c, "size", 1, ChunkStore.CHUNK_SIZE, source, where);
            Long earlier = chunkSizes.putIfAbsent(hash, size);
            if (earlier != null && earlier != size) {
                throw SyncJson.invalid(source, where + "chunk " + hash + " is listed with two different sizes");
            }
            sum += size;
            if (sum > f.size()) {
                break;
            }
            refs.add(new ChunkRef(hash, size));
        }
        if (sum != f.size()) {
            throw SyncJson.invalid(source, at + "its chunks add up to " + (sum > f.size() ? "more than " : "")
                    + sum + " bytes, but the file has " + f.size());
        }
        return new FileRecipe(f.sha256(), f.size(), refs);
    }

    /** Checks this manifest is the pack the catalog announced; a lying catalog is refused here. */
    public void requireMatches(PeerCatalog.Entry entry, String source) {
        if (!pack.id().equals(entry.id())) {
            throw SyncJson.invalid(source, "is the manifest of pack '" + pack.id() + "', not of '" + entry.id() + "'");
        }
        if (pack.version() != entry.version()) {
            throw SyncJson.invalid(source, "is version " + pack.version() + " of '" + entry.id()
                    + "', but the catalog lists version " + entry.version());
        }
        if (!digest.equals(entry.digest())) {
            throw SyncJson.invalid(source, "its pack.json has digest " + digest + ", but the catalog lists "
                    + entry.digest() + " (the peer's catalog and manifest disagree)");
        }
        if (pack.totalSize() != entry.size()) {
            throw SyncJson.invalid(source, "its files add up to " + pack.totalSize() + " bytes, but the catalog lists "
                    + entry.size());
        }
    }

    private static String shortened(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
