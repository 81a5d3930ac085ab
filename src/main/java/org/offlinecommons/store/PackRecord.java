package org.offlinecommons.store;

import java.util.List;

/**
 * An installed pack as the library lists it. {@code manifest} is the canonical pack.json the
 * pack was installed from, and {@code digest} its SHA-256: equal digests mean equal packs.
 */
public record PackRecord(
        String id,
        long version,
        String title,
        String description,
        String language,
        String license,
        List<String> authors,
        String created,
        String entry,
        String manifest,
        String digest,
        long totalSize,
        int fileCount,
        int itemCount,
        long installedAt) {

    public PackRecord {
        authors = List.copyOf(authors);
    }
}
