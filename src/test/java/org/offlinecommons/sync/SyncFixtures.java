package org.offlinecommons.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.StoredFile;

/** Packs, libraries and JSON edits shared by the sync tests. */
final class SyncFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SyncFixtures() {
    }

    /** Builds a folder into a pack zip with the admin's own tool and imports it. */
    static void importFolder(Library library, Path folder, String id, String title, long version, Path work) {
        Path zip = work.resolve(id + "-" + version + "-" + System.nanoTime() + ".zip");
        PackFixtures.build(folder, new PackBuilder.Options(id, title, version, null, null, null, null, null, null),
                zip);
        new PackImporter(library).importPack(zip, ProgressListener.NONE);
        try {
            Files.delete(zip);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A small site pack ("garden") in a fresh folder. */
    static Path garden(Path root) throws IOException {
        return PackFixtures.smallSite(root);
    }

    /** Every file's SHA-256 by path, as a library stores it, computed from its bytes. */
    static Map<String, String> contentHashes(Library library, String packId) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (StoredFile f : library.catalog().files(packId)) {
            FileRecipe recipe = library.chunks().recipe(f.sha256()).orElseThrow();
            MessageDigest d = Hashes.sha256();
            try (InputStream in = library.chunks().open(recipe)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    d.update(buf, 0, n);
                }
            }
            out.put(f.path(), Hashes.hex(d.digest()));
        }
        return out;
    }

    /** Every file's SHA-256 by relative path, from a folder. */
    static Map<String, String> folderHashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), PackFixtures.sha256(p));
            }
        }
        return out;
    }

    static List<String> packIds(Library library) {
        return library.catalog().packs().stream().map(PackRecord::id).toList();
    }

    /** {@code json} with an edit applied, re-serialised. */
    static byte[] edit(byte[] json, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(json);
            change.accept(root);
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
