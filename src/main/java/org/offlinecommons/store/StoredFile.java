package org.offlinecommons.store;

/** A file of an installed pack: where it sits in the pack, and which content it has. */
public record StoredFile(String path, long size, String sha256) {
}
