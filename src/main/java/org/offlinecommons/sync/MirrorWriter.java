package org.offlinecommons.sync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.store.ChunkRef;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.StoreException;

/**
 * Writes a library's sync tree as plain files: {@code DIR/sync/v1/catalog.json},
 * {@code packs/{id}/{version}/manifest.json} and {@code chunks/{sha256}}. Any web server that
 * publishes DIR is then a sync source, and a USB stick holding DIR can be carried to a school.
 *
 * <p>Re-running on the same DIR is an update: chunks already there and intact are kept, the
 * catalog is written last (so a reader never sees a pack whose files are not there yet), and
 * what the new catalog no longer needs is removed.
 */
public final class MirrorWriter {

    /** What a mirror run did. */
    public record Result(int packs, int chunksWritten, long bytesWritten, int chunksKept, long bytesKept,
                         int filesRemoved) {
    }

    private final Library library;
    private final LibraryTree tree;

    public MirrorWriter(Library library) {
        this.library = library;
        this.tree = new LibraryTree(library);
    }

    /**
     * Mirrors the chosen packs (all, when {@code packIds} is empty) into {@code dir}. Files are
     * read from the library a page at a time, so memory does not grow with the packs (a format-2
     * pack's pieces are listed, one line each per about 64 files).
     */
    public Result write(Path dir, List<String> packIds, ProgressListener progress) {
        List<PackRecord> packs = choose(packIds);
        Path root = dir.resolve(SyncTree.ROOT);
        long total = packs.stream().mapToLong(PackRecord::totalSize).sum();
        long[] done = {0};
        int[] written = {0};
        int[] kept = {0};
        long[] bytesWritten = {0};
        long[] bytesKept = {0};
        Set<String> pieces = new HashSet<>();
        // Chunks shared by neighbouring files are looked at once; bounded, like everything here.
        Set<String> recent = java.util.Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > 8192;
            }
        });
        try {
            Path chunkDir = Files.createDirectories(root.resolve("chunks"));
            for (PackRecord p : packs) {
                tree.forEachRecipe(p, null, Integer.MAX_VALUE, (f, r) -> {
                    for (ChunkRef c : r.chunks()) {
                        if (!recent.add(c.hash())) {
                            continue;
                        }
                        Path file = chunkDir.resolve(c.hash());
                        if (intact(file, c)) {
                            kept[0]++;
                            bytesKept[0] += c.size();
                        } else {
                            byte[] data = library.chunks().readChunk(c.hash()).orElseThrow(() -> new StoreException(
                                    "chunk " + c.hash() + " is missing from the library; run 'offline-commons verify'",
                                    null));
                            if (!Hashes.sha256Hex(data).equals(c.hash())) {
                                throw new StoreException("chunk " + c.hash() + " is damaged in the library; run"
                                        + " 'offline-commons verify'", null);
                            }
                            replace(file, data);
                            written[0]++;
                            bytesWritten[0] += data.length;
                        }
                    }
                    done[0] += f.size();
                    progress.update(done[0], total);
                });
                if (library.catalog().format(p.id()) == 2) {
                    Path pieceDir = Files.createDirectories(root.resolve("pieces"));
                    for (org.offlinecommons.store.Catalog.SyncPiece piece : tree.pieces(p)) {
                        pieces.add(piece.hash());
                        Path file = pieceDir.resolve(piece.hash());
                        if (!intact(file, new ChunkRef(piece.hash(), piece.size()))) {
                            byte[] bytes = tree.pieceBytes(p, piece);
                            if (!Hashes.sha256Hex(bytes).equals(piece.hash())) {
                                throw new StoreException("pack '" + p.id() + "' changed while it was mirrored; try"
                                        + " again", null);
                            }
                            replace(file, bytes);
                        }
                    }
                }
            }
            for (PackRecord p : packs) {
                replace(dir.resolve(SyncTree.manifest(p.id(), p.version())), tree.manifest(p));
            }
            replace(dir.resolve(SyncTree.CATALOG), tree.catalog(packs));
            List<String> ids = packs.stream().map(PackRecord::id).toList();
            int removed = prune(root, packs, hash -> library.catalog().usesChunk(ids, hash), pieces);
            return new Result(packs.size(), written[0], bytesWritten[0], kept[0], bytesKept[0], removed);
        } catch (IOException e) {
            throw new PackException(PackException.Reason.IO, dir + ": cannot write the mirror (" + e.getMessage()
                    + ")", e);
        }
    }

    private List<PackRecord> choose(List<String> packIds) {
        if (packIds == null || packIds.isEmpty()) {
            return library.catalog().packs();
        }
        List<PackRecord> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(packIds)) {
            out.add(library.catalog().pack(id).orElseThrow(() -> new PackException(PackException.Reason.NOT_FOUND,
                    "There is no pack '" + id + "' in this library")));
        }
        return out;
    }

    /** A chunk file already in the mirror with the right bytes: a damaged stick is repaired. */
    private static boolean intact(Path file, ChunkRef c) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != c.size()) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Hashes.sha256Hex(in.readAllBytes()).equals(c.hash());
        }
    }

    /** Writes through a temporary file and a rename, so no reader ever sees half a file. */
    private static void replace(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, data);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Some USB file systems cannot rename atomically over an existing file.
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Removes what the catalog no longer refers to. Only names this writer makes are touched
     * (pack ids, version numbers, SHA-256 chunk names, its own temporary files): anything else
     * someone put in the folder stays.
     */
    private static int prune(Path root, List<PackRecord> packs, java.util.function.Predicate<String> chunkUsed,
                             Set<String> pieces) throws IOException {
        int removed = 0;
        Set<String> manifests = new HashSet<>();
        packs.forEach(p -> manifests.add(p.id() + "/" + p.version()));
        Path packDir = root.resolve("packs");
        if (Files.isDirectory(packDir)) {
            try (DirectoryStream<Path> ids = Files.newDirectoryStream(packDir)) {
                for (Path idDir : ids) {
                    String id = idDir.getFileName().toString();
                    if (!SyncTree.isPackId(id) || !Files.isDirectory(idDir)) {
                        continue;
                    }
                    try (DirectoryStream<Path> versions = Files.newDirectoryStream(idDir)) {
                        for (Path vDir : versions) {
                            String v = vDir.getFileName().toString();
                            if (v.matches("[1-9][0-9]{0,18}") && !manifests.contains(id + "/" + v)) {
                                removed += removeManifestDir(vDir);
                            }
                        }
                    }
                    try (Stream<Path> left = Files.list(idDir)) {
                        if (left.findAny().isEmpty()) {
                            Files.delete(idDir);
                        }
                    }
                }
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root.resolve("chunks"))) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean stale = Hashes.isSha256Hex(name) ? !chunkUsed.test(name)
                        : name.startsWith(".") && name.endsWith(".tmp");
                if (stale && Files.isRegularFile(f)) {
                    Files.delete(f);
                    removed++;
                }
            }
        }
        Path pieceDir = root.resolve("pieces");
        if (Files.isDirectory(pieceDir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(pieceDir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    boolean stale = Hashes.isSha256Hex(name) ? !pieces.contains(name)
                            : name.startsWith(".") && name.endsWith(".tmp");
                    if (stale && Files.isRegularFile(f)) {
                        Files.delete(f);
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    private static int removeManifestDir(Path vDir) throws IOException {
        int removed = 0;
        for (String name : List.of("manifest.json", ".manifest.json.tmp")) {
            if (Files.deleteIfExists(vDir.resolve(name))) {
                removed++;
            }
        }
        try (Stream<Path> left = Files.list(vDir)) {
            if (left.findAny().isEmpty()) {
                Files.delete(vDir);
            }
        }
        return removed;
    }
}
