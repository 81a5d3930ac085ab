package org.offlinecommons.sync;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.offlinecommons.store.Catalog.SyncPiece;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.GenerationCache;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.StoreException;
import org.offlinecommons.store.StoredFile;

/**
 * A library seen as a sync tree: the bytes of catalog.json, of each installed pack's
 * manifest.json, and of each chunk. Served over HTTP by the web server and written to disk by
 * {@link MirrorWriter}, so both always say the same thing.
 */
public final class LibraryTree {

    /** Manifests are immutable per digest; a few are kept so that many peers pulling cost one build. */
    private static final int CACHED_MANIFESTS = 8;

    private final Library library;
    private final GenerationCache<String, byte[]> manifests = new GenerationCache<>(CACHED_MANIFESTS);

    private record Catalog(long generation, byte[] json) {
    }

    /** catalog.json as last built, with the library's generation it was built at. */
    private volatile Catalog catalog;

    public LibraryTree(Library library) {
        this.library = library;
    }

    public ServerIdentity identity() {
        return ServerIdentity.of(library);
    }

    /** catalog.json listing every installed pack. */
    public byte[] catalog() {
        // Building it reads every pack's manifest; peers ask for it far more often than packs change.
        long generation = library.generation();
        Catalog last = catalog;
        if (last != null && last.generation() == generation) {
            return last.json();
        }
        byte[] json = catalog(library.catalog().packs());
        catalog = new Catalog(generation, json);
        return json;
    }

    public byte[] catalog(List<PackRecord> packs) {
        return new PeerCatalog(identity(), packs.stream().map(PeerCatalog.Entry::of).toList()).toJson();
    }

    /** manifest.json of the installed version of a pack; empty if that version is not installed. */
    public Optional<byte[]> manifest(String packId, long version) {
        return library.catalog().pack(packId).filter(p -> p.version() == version).map(this::manifest);
    }

    public byte[] manifest(PackRecord pack) {
        byte[] cached = manifests.get(pack.digest(), GenerationCache.TIMELESS);
        if (cached != null) {
            return cached;
        }
        String manifest = library.catalog().manifest(pack.id(), pack.digest()).orElseThrow(() -> gone(pack));
        boolean streamed = library.catalog().format(pack.id()) == 2;
        byte[] json = streamed ? PeerManifest.toJson(manifest, pieces(pack)) : PeerManifest.toJson(manifest, recipes(pack));
        // A format-1 manifest grows with its pack: only small ones are kept.
        if (json.length <= (1 << 20)) {
            manifests.put(pack.digest(), GenerationCache.TIMELESS, json);
        }
        return json;
    }

    private static StoreException gone(PackRecord pack) {
        return new StoreException("pack '" + pack.id() + "' was removed or replaced while it was being read; try again",
                null);
    }

    /**
     * The pieces of a format-2 pack's manifest (docs/sync-protocol.md §4.2), worked out once per
     * digest by reading its files a page at a time, and recorded (not their bytes: a piece is
     * made again from pack_file when asked for).
     */
    public List<SyncPiece> pieces(PackRecord pack) {
        List<SyncPiece> known = library.catalog().syncPieces(pack.id(), pack.digest());
        if (!known.isEmpty() || pack.fileCount() == 0) {
            return known;
        }
        List<SyncPiece> pieces = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int[] files = {0};
        String[] after = {null};
        String[] last = {null};
        forEachLine(pack, null, Integer.MAX_VALUE, (f, line) -> {
            current.writeBytes(line);
            files[0]++;
            last[0] = f.path();
            if (ManifestPieces.cutAfter(f.path(), files[0], current.size())) {
                byte[] bytes = current.toByteArray();
                pieces.add(new SyncPiece(pack.id(), pack.digest(), pieces.size(),
                        Hashes.sha256Hex(bytes), bytes.length, files[0], after[0]));
                after[0] = f.path();
                current.reset();
                files[0] = 0;
            }
        });
        if (files[0] > 0) {
            byte[] bytes = current.toByteArray();
            pieces.add(new SyncPiece(pack.id(), pack.digest(), pieces.size(),
                    Hashes.sha256Hex(bytes), bytes.length, files[0], after[0]));
        }
        library.catalog().putSyncPieces(pack.digest(), pieces);
        return pieces;
    }

    /** The bytes of a piece of some installed format-2 pack; empty if no installed pack has it. */
    public Optional<byte[]> piece(String hash) {
        if (!Hashes.isSha256Hex(hash)) {
            return Optional.empty();
        }
        return library.catalog().syncPiece(hash).flatMap(p -> {
            PackRecord pack = library.catalog().pack(p.packId()).orElse(null);
            if (pack == null || !pack.digest().equals(p.digest())) {
                return Optional.empty();
            }
            byte[] bytes = pieceBytes(pack, p);
            return Hashes.sha256Hex(bytes).equals(hash) ? Optional.of(bytes) : Optional.empty();
        });
    }

    /** A piece's bytes, made from the pack's files. */
    public byte[] pieceBytes(PackRecord pack, SyncPiece piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(piece.size(), 1 << 20));
        forEachLine(pack, piece.afterPath(), piece.files(), (f, line) -> out.writeBytes(line));
        return out.toByteArray();
    }

    /** Receives a file of a pack and its line in a piece. */
    interface LineSink {
        void accept(org.offlinecommons.pack.FileList.Entry file, byte[] line);
    }

    /** Receives a file of a pack and the chunks it is made of. */
    interface RecipeSink {
        void accept(org.offlinecommons.pack.FileList.Entry file, FileRecipe recipe) throws java.io.IOException;
    }

    /** The lines of up to {@code limit} files after {@code afterPath}, read a page at a time. */
    void forEachLine(PackRecord pack, String afterPath, int limit, LineSink sink) {
        try {
            forEachRecipe(pack, afterPath, limit, (e, r) -> sink.accept(e, ManifestPieces.line(e, r)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Up to {@code limit} files after {@code afterPath} with their recipes, in path order, a page at a time. */
    void forEachRecipe(PackRecord pack, String afterPath, int limit, RecipeSink sink) throws java.io.IOException {
        String after = afterPath;
        int left = limit;
        while (left > 0) {
            List<org.offlinecommons.store.Catalog.ListedFile> page = library.catalog()
                    .filesPage(pack.id(), pack.digest(), after, Math.min(left, 2000)).orElseThrow(() -> gone(pack));
            if (page.isEmpty()) {
                return;
            }
            Map<String, FileRecipe> recipes = library.chunks().recipes(page.stream()
                    .map(org.offlinecommons.store.Catalog.ListedFile::sha256).distinct().toList());
            for (org.offlinecommons.store.Catalog.ListedFile f : page) {
                FileRecipe r = recipes.get(f.sha256());
                if (r == null) {
                    throw new StoreException(pack.id() + "/" + f.path()
                            + ": its content is missing from the library; run verify", null);
                }
                org.offlinecommons.pack.FileList.Entry e = new org.offlinecommons.pack.FileList.Entry(f.path(), f.size(),
                        f.sha256(), f.mediaType());
                sink.accept(e, r);
                after = f.path();
                left--;
            }
        }
    }

    /** The recipes of a pack's files, in path order, one per distinct content. */
    public List<FileRecipe> recipes(PackRecord pack) {
        List<StoredFile> files = library.catalog().files(pack.id());
        Map<String, FileRecipe> recorded = library.chunks().recipes(files.stream().map(StoredFile::sha256).toList());
        Map<String, FileRecipe> out = new LinkedHashMap<>();
        for (StoredFile f : files) {
            if (!out.containsKey(f.sha256())) {
                FileRecipe r = recorded.get(f.sha256());
                if (r == null) {
                    throw new StoreException(pack.id() + "/" + f.path()
                            + ": its content is missing from the library; run verify", null);
                }
                out.put(f.sha256(), r);
            }
        }
        return List.copyOf(out.values());
    }

    /** One chunk's bytes; empty for a malformed or unknown hash. */
    public Optional<byte[]> chunk(String hash) {
        if (!Hashes.isSha256Hex(hash)) {
            return Optional.empty();
        }
        return library.chunks().readChunk(hash);
    }
}
