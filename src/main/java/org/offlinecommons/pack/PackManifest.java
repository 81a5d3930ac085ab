package org.offlinecommons.pack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * pack.json (see docs/pack-format.md). {@code items} is null when the pack leaves them to be
 * derived at import. {@code extra} holds fields this version does not know, kept so that a pack
 * passes through this library unchanged.
 *
 * <p>Format 1 lists every file in {@code files}. Format 2 keeps pack.json small: {@code files}
 * is empty, {@code items} null (derived at import), and {@code fileList} sums up the separate,
 * streamed file list ({@link FileList}): how many files, how many bytes, and its SHA-256, so
 * that the digest of pack.json still covers every file's content.
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
        Map<String, JsonNode> extra,
        FileListInfo fileList) {

    public static final int FORMAT = 1;
    /** The format whose file list is a separate, sorted, streamed zip entry. */
    public static final int FORMAT_2 = 2;
    public static final String FILE_NAME = "pack.json";
    /** A pack's optional icon: a 48x48 PNG at this path is shown on its card (a ZIM's illustration goes here). */
    public static final String ICON_PATH = "illustration-48x48.png";
    /** The highest version a pack may have (2^31-1), so that every pack can still be upgraded. */
    public static final long MAX_VERSION = Integer.MAX_VALUE;

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

    /** Format 2: the file list's number of files, their total size, and the list's SHA-256. */
    public record FileListInfo(long count, long size, String sha256) {
    }

    /** Format-1 manifests, whose files are listed in them. */
    public PackManifest(int format, String id, long version, String title, String description, String language,
                        String license, List<String> authors, String created, String entry, List<FileEntry> files,
                        List<ItemEntry> items, Map<String, JsonNode> extra) {
        this(format, id, version, title, description, language, license, authors, created, entry, files, items,
                extra, null);
    }

    public boolean streamed() {
        return fileList != null;
    }

    public long fileCount() {
        return fileList != null ? fileList.count() : files.size();
    }

    public long totalSize() {
        if (fileList != null) {
            return fileList.size();
        }
        long sum = 0;
        for (FileEntry f : files) {
            sum += f.size();
        }
        return sum;
    }

    public PackManifest withItems(List<ItemEntry> newItems) {
        return new PackManifest(format, id, version, title, description, language, license, authors, created, entry,
                files, newItems, extra, fileList);
    }
}
