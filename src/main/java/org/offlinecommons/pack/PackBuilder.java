package org.offlinecommons.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.ProgressListener;

/**
 * Turns a folder into a pack zip: every file listed with its size and hash, items derived from
 * the documents, written deterministically, so the same folder always gives the same zip.
 *
 * <p>A {@code pack.json} in the folder supplies metadata (the options override it); its
 * {@code files} are recomputed. Its {@code items}, if it lists any, are the author's and kept as
 * they are (format 1; format 2 cannot carry them); else they are derived ({@link ItemDeriver}).
 * Hidden files and folders (names starting with '.') are left out, as version-control and
 * desktop clutter.
 */
public final class PackBuilder {

    /** Metadata for the pack; null fields fall back to the folder's pack.json, then defaults. */
    public record Options(String id, String title, Long version, String language, String license,
                          String description, List<String> authors, String created, String entry) {
        public static Options of(String id, String title) {
            return new Options(id, title, null, null, null, null, null, null, null);
        }
    }

    private PackBuilder() {
    }

    public static PackManifest build(Path dir, Options options, Path out, ProgressListener progress) {
        if (!Files.isDirectory(dir)) {
            throw new PackException(PackException.Reason.NOT_FOUND, dir + ": no such folder");
        }
        PackManifest manifest = manifest(dir, options);
        PackWriter.write(manifest, f -> Files.newInputStream(dir.resolve(f.path())), out, progress);
        return manifest;
    }

    /**
     * Writes the folder as a format-2 pack (docs/pack-format.md): the file list is sorted on disk
     * and streamed, so memory stays bounded whatever the number of files. Items are derived at
     * import.
     */
    public static PackManifest buildStreamed(Path dir, Options options, Path out, ProgressListener progress) {
        if (!Files.isDirectory(dir)) {
            throw new PackException(PackException.Reason.NOT_FOUND, dir + ": no such folder");
        }
        Path work = out.toAbsolutePath().getParent();
        Path list = null;
        try {
            Files.createDirectories(work);
            list = Files.createTempFile(work, ".files-", ".tsv");
            PackManifest.FileListInfo info;
            boolean[] hasEntry = {false};
            ObjectNode template = template(dir);
            if (template.has("items")) {
                throw PackException.invalid(dir.resolve(PackManifest.FILE_NAME) + ": lists 'items', which a format-2"
                        + " pack cannot carry (its items are derived when it is imported); pack it with --format 1 to"
                        + " keep them, or remove 'items'");
            }
            String entry = first(options.entry(), text(template, "entry"));
            if (entry == null && Files.isRegularFile(dir.resolve("index.html"))) {
                entry = "index.html";
            }
            try (ExternalSort sort = new ExternalSort(work)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        if (!Files.isRegularFile(p) || isHidden(dir, p)) {
                            continue;
                        }
                        String rel = relative(dir, p);
                        if (rel.equals(PackManifest.FILE_NAME)) {
                            continue;
                        }
                        String problem = rel.equals(FileList.ENTRY_NAME)
                                ? "it has the name a format-2 pack gives its file list; rename it"
                                : PackPath.problem(rel);
                        if (problem != null) {
                            throw PackException.invalid(p + ": cannot be put in a pack: " + problem);
                        }
                        sort.add(rel);
                    }
                }
                try (java.io.OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(list), 1 << 16)) {
                    FileList.Writer writer = new FileList.Writer(o);
                    for (String rel : sort.sorted()) {
                        PackManifest.FileEntry f = hash(dir.resolve(rel), rel);
                        writer.add(new FileList.Entry(rel, f.size(), f.sha256(), null));
                        hasEntry[0] |= rel.equals(entry);
                    }
                    info = writer.info();
                }
            }
            if (entry != null && !hasEntry[0]) {
                throw PackException.invalid(dir + ": the entry page '" + entry + "' is not one of its files");
            }
            ObjectNode root = metadata(template, options, entry);
            root.put("format", PackManifest.FORMAT_2);
            root.putObject("fileList").put("count", info.count()).put("size", info.size()).put("sha256", info.sha256());
            PackManifest manifest = ManifestCodec.parse(new ObjectMapper().writeValueAsBytes(root),
                    dir.getFileName() + ": pack metadata");
            Path listFile = list;
            PackWriter.writeStreamed(manifest, () -> {
                java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(listFile), 1 << 16);
                FileList.Reader reader = new FileList.Reader(in, listFile.toString(), info);
                return new PackWriter.FileCursor() {
                    @Override
                    public FileList.Entry next() throws IOException {
                        return reader.next();
                    }

                    @Override
                    public void close() throws IOException {
                        in.close();
                    }
                };
            }, f -> verified(dir.resolve(f.path()), f), out, progress);
            return manifest;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new PackException(PackException.Reason.IO, dir + ": cannot be packed (" + e.getMessage() + ")", e);
        } finally {
            if (list != null) {
                try {
                    Files.deleteIfExists(list);
                } catch (IOException ignored) {
                    // A stray temporary file, named as such.
                }
            }
        }
    }

    /** The file's bytes, failing at their end if they no longer hash as listed (changed meanwhile). */
    private static InputStream verified(Path file, PackManifest.FileEntry f) throws IOException {
        MessageDigest d = Hashes.sha256();
        return new java.security.DigestInputStream(Files.newInputStream(file), d) {
            private boolean checked;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0 && !checked) {
                    checked = true;
                    if (!Hashes.hex(d.digest()).equals(f.sha256())) {
                        throw new IOException(file + " changed while it was being packed; pack again");
                    }
                }
                return n;
            }
        };
    }

    /** The metadata fields of pack.json: the folder's pack.json overridden by the options. */
    private static ObjectNode metadata(ObjectNode template, Options options, String entry) {
        ObjectNode root = template.deepCopy();
        root.remove("files");
        root.remove("items");
        root.remove("fileList");
        root.put("format", PackManifest.FORMAT);
        putIfSet(root, "id", options.id());
        putIfSet(root, "title", options.title());
        if (options.version() != null) {
            root.put("version", options.version());
        } else if (!root.has("version")) {
            root.put("version", 1);
        }
        putIfSet(root, "language", options.language());
        putIfSet(root, "license", options.license());
        putIfSet(root, "description", options.description());
        putIfSet(root, "created", options.created());
        if (options.authors() != null) {
            root.putArray("authors").addAll(options.authors().stream().map(root::textNode).toList());
        }
        if (entry != null) {
            root.put("entry", entry);
        }
        return root;
    }

    /** The manifest the folder makes, without writing a zip. */
    public static PackManifest manifest(Path dir, Options options) {
        ObjectNode template = template(dir);
        List<PackManifest.FileEntry> files = new ArrayList<>();
        for (Path file : listFiles(dir)) {
            String rel = relative(dir, file);
            String problem = PackPath.problem(rel);
            if (problem != null) {
                throw PackException.invalid(file + ": cannot be put in a pack: " + problem);
            }
            files.add(hash(file, rel));
        }
        String entry = first(options.entry(), text(template, "entry"));
        if (entry == null && Files.isRegularFile(dir.resolve("index.html"))) {
            entry = "index.html";
        }
        ObjectNode root = metadata(template, options, entry);
        var filesNode = root.putArray("files");
        for (PackManifest.FileEntry f : files) {
            filesNode.addObject().put("path", f.path()).put("size", f.size()).put("sha256", f.sha256());
        }
        if (template.has("items")) {
            // The author's own list wins, exactly as written (checked like any pack.json's).
            root.set("items", template.get("items").deepCopy());
        }
        byte[] json;
        try {
            json = new ObjectMapper().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        PackManifest parsed = ManifestCodec.parse(json, dir.getFileName() + ": pack metadata");
        if (parsed.items() != null) {
            return parsed;
        }
        try {
            return parsed.withItems(ItemDeriver.derive(parsed, (f, max) -> {
                try (InputStream in = Files.newInputStream(dir.resolve(f.path()))) {
                    return in.readNBytes(max);
                }
            }));
        } catch (IOException e) {
            throw new PackException(PackException.Reason.IO, dir + ": cannot read its files (" + e.getMessage() + ")", e);
        }
    }

    private static ObjectNode template(Path dir) {
        Path json = dir.resolve(PackManifest.FILE_NAME);
        if (!Files.isRegularFile(json)) {
            return new ObjectMapper().createObjectNode();
        }
        try {
            JsonNode node = new ObjectMapper().readTree(json.toFile());
            if (!node.isObject()) {
                throw PackException.invalid(json + ": must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw PackException.invalid(json + ": is not valid JSON (" + e.getMessage() + ")");
        }
    }

    private static List<Path> listFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(dir, p))
                    .filter(p -> !relative(dir, p).equals(PackManifest.FILE_NAME))
                    .sorted((a, b) -> relative(dir, a).compareTo(relative(dir, b)))
                    .toList();
        } catch (IOException e) {
            throw new PackException(PackException.Reason.IO, dir + ": cannot list its files (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isHidden(Path dir, Path file) {
        for (Path part : dir.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String relative(Path dir, Path file) {
        StringBuilder sb = new StringBuilder();
        for (Path part : dir.relativize(file)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    private static PackManifest.FileEntry hash(Path file, String rel) {
        MessageDigest d = Hashes.sha256();
        long size = 0;
        byte[] buf = new byte[256 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw new PackException(PackException.Reason.IO, file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        return new PackManifest.FileEntry(rel, size, Hashes.hex(d.digest()));
    }

    private static String text(ObjectNode node, String field) {
        JsonNode n = node.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static void putIfSet(ObjectNode root, String field, String value) {
        if (value != null) {
            root.put(field, value);
        }
    }
}
