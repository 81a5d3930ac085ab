package org.offlinecommons.pack;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What kind of document an item is: it decides how the library shows and indexes it. */
public enum ItemKind {
    HTML, MARKDOWN, NOTES, TEXT, PDF, VIDEO, AUDIO, IMAGE;

    private static final Map<String, ItemKind> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", HTML), Map.entry("htm", HTML), Map.entry("xhtml", HTML),
            Map.entry("md", MARKDOWN), Map.entry("markdown", MARKDOWN),
            Map.entry("txt", TEXT), Map.entry("text", TEXT),
            Map.entry("pdf", PDF),
            Map.entry("mp4", VIDEO), Map.entry("m4v", VIDEO), Map.entry("webm", VIDEO), Map.entry("ogv", VIDEO),
            Map.entry("mov", VIDEO),
            Map.entry("mp3", AUDIO), Map.entry("m4a", AUDIO), Map.entry("ogg", AUDIO), Map.entry("oga", AUDIO),
            Map.entry("opus", AUDIO), Map.entry("wav", AUDIO), Map.entry("flac", AUDIO),
            Map.entry("png", IMAGE), Map.entry("jpg", IMAGE), Map.entry("jpeg", IMAGE), Map.entry("gif", IMAGE),
            Map.entry("webp", IMAGE), Map.entry("svg", IMAGE), Map.entry("avif", IMAGE));

    /** The name used in pack.json and the API. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ItemKind> fromId(String id) {
        for (ItemKind k : values()) {
            if (k.id().equals(id)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The kind a file's name suggests; {@code .txt} says TEXT, and content may make it NOTES. */
    public static Optional<ItemKind> fromPath(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash + 1 || dot == path.length() - 1) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_EXTENSION.get(path.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    /** Kinds whose text the library reads to find titles and to index for search. */
    public boolean isText() {
        return this == HTML || this == MARKDOWN || this == NOTES || this == TEXT;
    }
}
