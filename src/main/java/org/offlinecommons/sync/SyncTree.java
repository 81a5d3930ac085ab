package org.offlinecommons.sync;

import java.util.regex.Pattern;
import org.offlinecommons.store.Hashes;

/**
 * The layout of the read-only sync tree (docs/sync-protocol.md). The same relative paths are
 * URLs under a peer's base URL and files under a mirror folder, which is what lets any static
 * web server stand in for a peer.
 */
public final class SyncTree {

    /** The protocol's format number, in catalog.json and every manifest.json. */
    public static final int FORMAT = 1;
    public static final String ROOT = "sync/v1";
    public static final String CATALOG = ROOT + "/catalog.json";
    /** A catalog is a line per pack: this is tens of thousands of packs. */
    public static final int MAX_CATALOG_BYTES = 16 << 20;
    /**
     * pack.json alone may take 16 MB (ManifestCodec.MAX_BYTES); the chunk lists add about 90
     * bytes per MiB of content, so this leaves room for well over 100 GB of chunk lists.
     */
    public static final int MAX_MANIFEST_BYTES = 32 << 20;

    /**
     * Bulk chunk requests (docs/sync-protocol.md §5.1): {@code POST} a list of hashes here, get
     * the chunks back in one answer. Live servers only; a static tree answers an error, and
     * the client then fetches chunk by chunk.
     */
    public static final String BULK_CHUNKS = ROOT + "/chunks";
    /** Hashes per bulk request: a client asks for at most this many, a server refuses more. */
    public static final int MAX_BULK_CHUNKS = 256;
    /** Length prefix of a chunk the server does not have, in a bulk answer. */
    public static final int NOT_STORED = -1;

    private static final Pattern PACK_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private SyncTree() {
    }

    public static String manifest(String packId, long version) {
        if (!isPackId(packId) || version < 1) {
            throw new IllegalArgumentException("not a pack id and version: " + packId + " " + version);
        }
        return ROOT + "/packs/" + packId + "/" + version + "/manifest.json";
    }

    /** A piece of a format-2 manifest (docs/sync-protocol.md §4.2), content-addressed like a chunk. */
    public static String piece(String hash) {
        if (!Hashes.isSha256Hex(hash)) {
            throw new IllegalArgumentException("not a SHA-256: " + hash);
        }
        return ROOT + "/pieces/" + hash;
    }

    public static String chunk(String hash) {
        if (!Hashes.isSha256Hex(hash)) {
            throw new IllegalArgumentException("not a SHA-256: " + hash);
        }
        return ROOT + "/chunks/" + hash;
    }

    /** The pack id rule of pack.json; checked before an id from a peer goes into a URL. */
    public static boolean isPackId(String id) {
        return id != null && PACK_ID.matcher(id).matches();
    }
}
