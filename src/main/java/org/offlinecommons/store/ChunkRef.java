package org.offlinecommons.store;

/** One chunk of a file: its SHA-256 (lowercase hex) and length in bytes. */
public record ChunkRef(String hash, long size) {
}
