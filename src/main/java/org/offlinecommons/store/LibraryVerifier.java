package org.offlinecommons.store;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Re-reads every byte of every installed pack and checks it against its hashes: each chunk
 * against its own, each file against the manifest's. Damage is reported, never repaired here.
 */
public final class LibraryVerifier {

    /** What a verification found. {@code problems} is empty for a healthy library. */
    public record Report(int packs, int files, long bytes, List<String> problems) {
        public Report {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Library library;

    public LibraryVerifier(Library library) {
        this.library = library;
    }

    public Report verify(ProgressListener progress) {
        List<String> problems = new ArrayList<>();
        List<String> integrity = library.integrityCheck();
        if (!integrity.equals(List.of("ok"))) {
            problems.addAll(integrity.stream().map(p -> "database: " + p).toList());
        }
        List<PackRecord> packs = library.catalog().packs();
        long total = 0;
        for (PackRecord p : packs) {
            total += p.totalSize();
        }
        long done = 0;
        int fileCount = 0;
        // Chunks already found intact, so a chunk shared by many files is hashed once; bounded,
        // so memory does not grow with the library (a forgotten chunk is only hashed again).
        Set<String> goodChunks = java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                return size() > 65_536;
            }
        });
        for (PackRecord pack : packs) {
            String after = null;
            while (true) {
                Optional<List<Catalog.ListedFile>> page = library.catalog().filesPage(pack.id(), pack.digest(), after,
                        1000);
                if (page.isEmpty() || page.get().isEmpty()) {
                    break; // done, or the pack was replaced or deleted meanwhile
                }
                after = page.get().get(page.get().size() - 1).path();
                for (Catalog.ListedFile file : page.get()) {
                    fileCount++;
                    String where = pack.id() + "/" + file.path();
                    Optional<FileRecipe> recipe = library.chunks().recipe(file.sha256());
                    if (recipe.isEmpty()) {
                        problems.add(where + ": its content is missing");
                        continue;
                    }
                    MessageDigest fileDigest = Hashes.sha256();
                    long size = 0;
                    boolean damaged = false;
                    for (ChunkRef ref : recipe.get().chunks()) {
                        Optional<byte[]> data = library.chunks().readUnchecked(ref.hash());
                        if (data.isEmpty()) {
                            problems.add(where + ": chunk " + ref.hash() + " is missing");
                            damaged = true;
                            break;
                        }
                        byte[] bytes = data.get();
                        if (!goodChunks.contains(ref.hash())) {
                            if (!ChunkStore.intact(ref.hash(), bytes) || bytes.length != ref.size()) {
                                problems.add(where + ": chunk " + ref.hash() + " is damaged");
                                library.chunks().damaged(ref.hash()); // recorded, for repair
                                damaged = true;
                                break;
                            }
                            goodChunks.add(ref.hash());
                        }
                        fileDigest.update(bytes);
                        size += bytes.length;
                        done += bytes.length;
                        progress.update(done, total);
                    }
                    if (!damaged && (size != file.size() || !Hashes.hex(fileDigest.digest()).equals(file.sha256()))) {
                        problems.add(where + ": content does not match its SHA-256 " + file.sha256());
                    }
                }
            }
        }
        return new Report(packs.size(), fileCount, done, problems);
    }
}
