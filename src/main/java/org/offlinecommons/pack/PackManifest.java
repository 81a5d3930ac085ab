package org.offlinecommons.pack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * pack.json, format 1 (see docs/pack-format.md). {@code items} is null when the pack leaves
 * them to be derived at import. {@code extra} holds fields this version does not know, kept so
 * that a pack passes through this library unchanged.
 */
public record PackManifest(
        int format,
        String id,
        long version,
        String title,
        String description,
        String language,
        String license,
        List<String> authors,
        String created,
        String entry,
        List<FileEntry> files,
        List<ItemEntry> items,
        Map<String, JsonNode> extra) {

    public static final int FORMAT = 1;
    public static final String FILE_NAME = "pack.json";

    public PackManifest {
        authors = List.copyOf(authors);
        files = List.copyOf(files);
        items = items == null ? null : List.copyOf(items);
        extra = new TreeMap<>(extra);
    }

    /** A file of the pack. */
    public record FileEntry(String path, long size, String sha256) {
    }

    /** A navigable document, in reading order. */
    public record ItemEntry(String path, String title, ItemKind kind) {
    }

    public long totalSize() {
        long sum = 0;
        for (FileEntry f : files) {
            sum += f.size();
        }
        return sum;
    }

    public PackManifest withItems(List<ItemEntry> newItems) {
        return new PackManifest(format, id, version, title, description, language, license, authors, created, entry,
                files, newItems, extra);
    }
}
