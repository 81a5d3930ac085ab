package org.offlinecommons.store;

import java.util.List;

/**
 * An installed pack as the library lists it. {@code digest} is the SHA-256 of the canonical
 * pack.json it was installed from (equal digests mean equal packs); that pack.json itself, megabytes
 * for a pack of many files, is read only when asked for ({@link Catalog#manifest}).
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
        String digest,
        long totalSize,
        int fileCount,
        int itemCount,
        long installedAt) {

    public PackRecord {
        authors = List.copyOf(authors);
    }
}
