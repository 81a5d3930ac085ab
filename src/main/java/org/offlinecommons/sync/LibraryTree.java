package org.offlinecommons.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        return manifests.get(pack.digest(), GenerationCache.TIMELESS, () -> {
            String manifest = library.catalog().manifest(pack.id(), pack.digest()).orElseThrow(() ->
                    new StoreException("pack '" + pack.id() + "' was removed or replaced while it was being read;"
                            + " try again", null));
            return PeerManifest.toJson(manifest, recipes(pack));
        });
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
