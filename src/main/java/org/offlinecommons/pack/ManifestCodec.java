package org.offlinecommons.pack;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.offlinecommons.store.Hashes;

/**
 * Reads and writes pack.json. Reading checks every field and says which one is wrong and why;
 * writing is canonical (fixed key order, two-space indent, '\n'), so the same manifest always
 * gives the same bytes and the same digest.
 */
public final class ManifestCodec {

    public static final int MAX_BYTES = 16 * 1024 * 1024;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    /** BCP 47 in its common shapes: language, optional script, region and variants. */
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");
    private static final Set<String> KNOWN = Set.of("format", "id", "version", "title", "description", "language",
            "license", "authors", "created", "entry", "files", "items");

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ManifestCodec() {
    }

    /** Parses and validates pack.json; {@code source} names it in messages (e.g. "x.zip: pack.json"). */
    public static PackManifest parse(byte[] bytes, String source) {
        if (bytes.length > MAX_BYTES) {
            throw PackException.invalid(source + ": is larger than 16 MB");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw PackException.invalid(source + ": is not UTF-8 text");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (IOException e) {
            throw PackException.invalid(source + ": is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) {
            throw PackException.invalid(source + ": must be a JSON object");
        }
        return new Reader(source, root).read();
    }

    /** The canonical bytes of {@code m}; the pack's digest is their SHA-256. */
    public static byte[] write(PackManifest m) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", m.format());
        root.put("id", m.id());
        root.put("version", m.version());
        root.put("title", m.title());
        root.put("description", m.description());
        root.put("language", m.language());
        root.put("license", m.license());
        ArrayNode authors = root.putArray("authors");
        m.authors().forEach(authors::add);
        root.put("created", m.created());
        if (m.entry() != null) {
            root.put("entry", m.entry());
        }
        if (m.streamed()) {
            ObjectNode list = root.putObject("fileList");
            list.put("count", m.fileList().count());
            list.put("size", m.fileList().size());
            list.put("sha256", m.fileList().sha256());
            m.extra().forEach(root::set);
            return pretty(root);
        }
        ArrayNode files = root.putArray("files");
        for (PackManifest.FileEntry f : m.files()) {
            ObjectNode o = files.addObject();
            o.put("path", f.path());
            o.put("size", f.size());
            o.put("sha256", f.sha256());
        }
        if (m.items() != null) {
            ArrayNode items = root.putArray("items");
            for (PackManifest.ItemEntry it : m.items()) {
                ObjectNode o = items.addObject();
                o.put("path", it.path());
                o.put("title", it.title());
                o.put("kind", it.kind().id());
            }
        }
        m.extra().forEach(root::set); // extra is sorted, so its order is canonical too
        return pretty(root);
    }

    private static byte[] pretty(ObjectNode root) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            byte[] json = MAPPER.writer(printer).writeValueAsBytes(root);
            byte[] out = new byte[json.length + 1];
            System.arraycopy(json, 0, out, 0, json.length);
            out[json.length] = '\n';
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("Writing JSON to memory cannot fail", e);
        }
    }

    /** SHA-256 of the canonical manifest: two packs with equal digests are the same pack. */
    public static String digest(PackManifest m) {
        return Hashes.sha256Hex(write(m));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** One parse, so that every message can name its source. */
    private static final class Reader {
        private final String source;
        private final JsonNode root;

        Reader(String source, JsonNode root) {
            this.source = source;
            this.root = root;
        }

        PackManifest read() {
            JsonNode format = root.get("format");
            if (format == null) {
                throw fail("field 'format' is missing (this program reads formats 1 and 2)");
            }
            if (!format.isIntegralNumber()
                    || (format.asLong() != PackManifest.FORMAT && format.asLong() != PackManifest.FORMAT_2)) {
                throw fail("format " + format + " is not supported; this version of Offline Commons reads formats 1"
                        + " and 2");
            }
            boolean streamed = format.asLong() == PackManifest.FORMAT_2;
            String id = requiredString("id");
            if (!ID.matcher(id).matches()) {
                throw fail("field 'id' must be 1 to 64 lowercase letters, digits or '-', starting with a letter or digit");
            }
            JsonNode versionNode = root.get("version");
            if (versionNode == null) {
                throw fail("field 'version' is missing");
            }
            if (!versionNode.isIntegralNumber() || !versionNode.canConvertToLong() || versionNode.asLong() < 1) {
                throw fail("field 'version' must be a positive whole number");
            }
            if (versionNode.asLong() > PackManifest.MAX_VERSION) {
                throw fail("field 'version' must be at most " + PackManifest.MAX_VERSION
                        + " (so that a later version can replace it)");
            }
            String title = requiredString("title").strip();
            if (title.isEmpty()) {
                throw fail("field 'title' must not be empty");
            }
            String description = optionalString("description", "");
            String language = optionalString("language", "und");
            if (!LANGUAGE.matcher(language).matches()) {
                throw fail("field 'language' must be a language tag such as 'en' or 'pt-BR'");
            }
            String license = optionalString("license", "");
            List<String> authors = authors();
            String created = optionalString("created", "");
            if (!created.isEmpty() && !isIsoDate(created)) {
                throw fail("field 'created' must be an ISO-8601 date such as 2024-05-01");
            }
            if (streamed) {
                return readFormat2(id, versionNode.asLong(), title, description, language, license, authors,
                        created);
            }
            List<PackManifest.FileEntry> files = files();
            Set<String> paths = new HashSet<>();
            files.forEach(f -> paths.add(f.path()));
            String entry = entry();
            if (entry != null && !paths.contains(entry)) {
                throw fail("field 'entry' names '" + entry + "', which is not in 'files'");
            }
            List<PackManifest.ItemEntry> items = items(paths);
            Map<String, JsonNode> extra = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!KNOWN.contains(f.getKey())) {
                    extra.put(f.getKey(), f.getValue());
                }
            }
            return new PackManifest(PackManifest.FORMAT, id, versionNode.asLong(), title, description, language,
                    license, authors, created, entry, files, items, extra);
        }

        /** Format 2: metadata only; the files are in the file list, the items derived from them. */
        private PackManifest readFormat2(String id, long version, String title, String description, String language,
                                         String license, List<String> authors, String created) {
            if (root.has("files")) {
                throw fail("field 'files' is not used in format 2: the files are listed in "
                        + FileList.ENTRY_NAME);
            }
            if (root.has("items")) {
                throw fail("field 'items' is not used in format 2: items are derived from the files");
            }
            String entry = entry();
            JsonNode list = root.get("fileList");
            if (list == null || !list.isObject()) {
                throw fail("field 'fileList' is missing (format 2 sums up its file list there: count, size, sha256)");
            }
            long count = wholeNumber(list, "count");
            long size = wholeNumber(list, "size");
            String sha = text(list, "sha256", "fileList");
            if (!Hashes.isSha256Hex(sha)) {
                throw fail("fileList: 'sha256' must be 64 lowercase hexadecimal digits");
            }
            Map<String, JsonNode> extra = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!KNOWN.contains(f.getKey()) && !f.getKey().equals("fileList")) {
                    extra.put(f.getKey(), f.getValue());
                }
            }
            return new PackManifest(PackManifest.FORMAT_2, id, version, title, description, language, license,
                    authors, created, entry, List.of(), null, extra,
                    new PackManifest.FileListInfo(count, size, sha));
        }

        /** The entry page, a valid pack path, or null when the pack names none. */
        private String entry() {
            if (!root.hasNonNull("entry")) {
                return null;
            }
            String entry = requiredString("entry");
            String problem = PackPath.problem(entry);
            if (problem != null) {
                throw fail("field 'entry': " + problem);
            }
            return entry;
        }

        private long wholeNumber(JsonNode obj, String field) {
            JsonNode n = obj.get(field);
            if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
                throw fail("fileList: '" + field + "' must be a whole number");
            }
            return n.asLong();
        }

        private List<String> authors() {
            JsonNode node = root.get("authors");
            if (node == null || node.isNull()) {
                return List.of();
            }
            if (!node.isArray()) {
                throw fail("field 'authors' must be a list of names");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode a : node) {
                if (!a.isTextual()) {
                    throw fail("field 'authors' must be a list of names");
                }
                out.add(a.asText());
            }
            return out;
        }

        private List<PackManifest.FileEntry> files() {
            JsonNode node = root.get("files");
            if (node == null) {
                throw fail("field 'files' is missing");
            }
            if (!node.isArray()) {
                throw fail("field 'files' must be a list");
            }
            List<PackManifest.FileEntry> out = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            int i = 0;
            for (JsonNode f : node) {
                String at = "files[" + i++ + "]";
                if (!f.isObject()) {
                    throw fail(at + " must be an object with path, size and sha256");
                }
                String path = text(f, "path", at);
                String problem = PackPath.problem(path);
                if (problem != null) {
                    throw fail(at + " '" + path + "': " + problem);
                }
                if (path.equals(PackManifest.FILE_NAME)) {
                    throw fail(at + ": pack.json cannot list itself");
                }
                if (!seen.add(path)) {
                    throw fail(at + " '" + path + "' is listed twice");
                }
                JsonNode size = f.get("size");
                if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
                    throw fail(at + " '" + path + "': 'size' must be a whole number of bytes");
                }
                String sha = text(f, "sha256", at);
                if (!Hashes.isSha256Hex(sha)) {
                    throw fail(at + " '" + path + "': 'sha256' must be 64 lowercase hexadecimal digits");
                }
                out.add(new PackManifest.FileEntry(path, size.asLong(), sha));
            }
            return out;
        }

        private List<PackManifest.ItemEntry> items(Set<String> paths) {
            JsonNode node = root.get("items");
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isArray()) {
                throw fail("field 'items' must be a list");
            }
            List<PackManifest.ItemEntry> out = new ArrayList<>();
            int i = 0;
            for (JsonNode it : node) {
                String at = "items[" + i++ + "]";
                if (!it.isObject()) {
                    throw fail(at + " must be an object with path, title and kind");
                }
                String path = text(it, "path", at);
                if (!paths.contains(path)) {
                    throw fail(at + " names '" + path + "', which is not in 'files'");
                }
                String kindId = text(it, "kind", at);
                ItemKind kind = ItemKind.fromId(kindId).orElseThrow(() -> fail(at + " '" + path + "': kind '"
                        + kindId + "' is not one of html, markdown, notes, text, pdf, video, audio, image"));
                JsonNode titleNode = it.get("title");
                if (titleNode != null && !titleNode.isNull() && !titleNode.isTextual()) {
                    throw fail(at + " '" + path + "': 'title' must be text");
                }
                String title = titleNode == null || titleNode.isNull() ? "" : titleNode.asText().strip();
                out.add(new PackManifest.ItemEntry(path, title, kind));
            }
            return out;
        }

        private String requiredString(String field) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                throw fail("field '" + field + "' is missing");
            }
            if (!n.isTextual()) {
                throw fail("field '" + field + "' must be text");
            }
            return n.asText();
        }

        private String optionalString(String field, String fallback) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                return fallback;
            }
            if (!n.isTextual()) {
                throw fail("field '" + field + "' must be text");
            }
            return n.asText();
        }

        private String text(JsonNode obj, String field, String at) {
            JsonNode n = obj.get(field);
            if (n == null || !n.isTextual()) {
                throw fail(at + ": '" + field + "' is missing or not text");
            }
            return n.asText();
        }

        private PackException fail(String problem) {
            return PackException.invalid(source + ": " + problem);
        }
    }

    private static boolean isIsoDate(String s) {
        try {
            LocalDate.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            try {
                OffsetDateTime.parse(s);
                return true;
            } catch (DateTimeParseException e2) {
                return false;
            }
        }
    }
}
