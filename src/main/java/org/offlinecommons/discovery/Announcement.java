package org.offlinecommons.discovery;

import java.nio.charset.StandardCharsets;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.sync.SyncTree;

/**
 * What a server tells the LAN about itself. The same fields go into the mDNS TXT record and
 * the broadcast datagram (docs/sync-protocol.md, "Discovery"), so both ways find the same peer.
 *
 * @param serverId      the id of its catalog.json, stable across restarts
 * @param name          for people
 * @param protocol      the sync protocol version it serves under /sync/v1/
 * @param scheme        "http" or "https"
 * @param port          where its HTTP server listens
 * @param packCount     how many packs its catalog lists
 * @param catalogDigest SHA-256 of its catalog.json bytes (also that file's ETag): when it changes,
 *                      the peer's catalog changed, and only then is it worth fetching again
 */
public record Announcement(String serverId, String name, int protocol, String scheme, int port, int packCount,
                           String catalogDigest) {

    static final int MAX_ID_CHARS = 128;
    /** In UTF-8 bytes: a TXT string holds 255 bytes, "name=" included. */
    static final int MAX_NAME_BYTES = 200;
    static final int MAX_PACKS = 10_000_000;

    public Announcement {
        requireId(serverId);
        if (name == null || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES || !printable(name)) {
            throw new IllegalArgumentException("'name' must be at most " + MAX_NAME_BYTES
                    + " bytes of printable text");
        }
        if (protocol < 1 || protocol > 999) {
            throw new IllegalArgumentException("'proto' must be a protocol version from 1 to 999");
        }
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("'scheme' must be http or https");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'port' must be from 1 to 65535");
        }
        if (packCount < 0 || packCount > MAX_PACKS) {
            throw new IllegalArgumentException("'packs' must be from 0 to " + MAX_PACKS);
        }
        if (!Hashes.isSha256Hex(catalogDigest)) {
            throw new IllegalArgumentException("'digest' must be 64 lowercase hexadecimal digits");
        }
    }

    /** Ours, with the name cut to what a TXT string can carry. */
    public static Announcement of(String serverId, String name, String scheme, int port, int packCount,
                                  String catalogDigest) {
        return new Announcement(serverId, fit(name), SyncTree.FORMAT, scheme, port, packCount, catalogDigest);
    }

    /** Whether we can pull from it: it serves the sync protocol this server speaks. */
    public boolean speaksOurProtocol() {
        return protocol == SyncTree.FORMAT;
    }

    static String requireId(String serverId) {
        if (serverId == null || serverId.isEmpty() || serverId.length() > MAX_ID_CHARS || !printable(serverId)) {
            throw new IllegalArgumentException("'id' must be 1 to " + MAX_ID_CHARS + " printable characters");
        }
        return serverId;
    }

    static String fit(String name) {
        String clean = name == null ? "" : name.replaceAll("\\p{Cntrl}", " ").strip();
        while (clean.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            clean = clean.substring(0, clean.offsetByCodePoints(clean.length(), -1));
        }
        return clean;
    }

    static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
