package org.offlinecommons.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;

/**
 * Writes installed packs back out as v1 zips. The manifest is the one the pack was installed
 * with, so importing an export gives the same pack (same digest), and every file's bytes are
 * the ones imported.
 */
public final class PackExporter {

    private final Library library;

    public PackExporter(Library library) {
        this.library = library;
    }

    public PackManifest manifest(String packId) {
        PackRecord pack = library.catalog().pack(packId).orElseThrow(() ->
                new PackException(PackException.Reason.NOT_FOUND, "pack '" + packId + "' is not installed"));
        String json = library.catalog().manifest(packId, pack.digest()).orElseThrow(() ->
                new PackException(PackException.Reason.NOT_FOUND, "pack '" + packId + "' was removed or replaced"
                        + " while it was being read; try again"));
        return ManifestCodec.parse(json.getBytes(StandardCharsets.UTF_8), "pack '" + packId + "'");
    }

    public void export(String packId, Path target, ProgressListener progress) {
        PackWriter.write(manifest(packId), this::open, target, progress);
    }

    public void export(String packId, OutputStream out, ProgressListener progress) throws IOException {
        PackWriter.write(manifest(packId), this::open, out, progress);
    }

    private InputStream open(PackManifest.FileEntry file) throws IOException {
        FileRecipe recipe = library.chunks().recipe(file.sha256())
                .orElseThrow(() -> new IOException("the content of '" + file.path() + "' is missing; run verify"));
        return library.chunks().open(recipe);
    }
}
