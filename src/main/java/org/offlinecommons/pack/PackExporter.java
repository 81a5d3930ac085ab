package org.offlinecommons.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.offlinecommons.store.Catalog;
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
        PackManifest m = manifest(packId);
        if (m.streamed()) {
            PackWriter.writeStreamed(m, listing(m), this::open, target, progress);
        } else {
            PackWriter.write(m, this::open, target, progress);
        }
    }

    public void export(String packId, OutputStream out, ProgressListener progress) throws IOException {
        PackManifest m = manifest(packId);
        if (m.streamed()) {
            Path tmp = library.dataDir().resolve("tmp");
            java.nio.file.Files.createDirectories(tmp);
            PackWriter.writeStreamed(m, listing(m), this::open, out, tmp, progress);
        } else {
            PackWriter.write(m, this::open, out, progress);
        }
    }

    /**
     * The zip {@link #export(String, Path, ProgressListener)} writes, as an image any slice of which
     * can be written (downloads with Range). The first call for a pack version reads the pack once
     * to index it (told to {@code progress}); the index is kept under {@code cacheDir}, named by the
     * pack's digest, and the indexes of the pack's older versions there are deleted.
     */
    public ZipImage image(String packId, Path cacheDir, ProgressListener progress) throws IOException {
        PackManifest m = manifest(packId);
        String digest = ManifestCodec.digest(m);
        Path dir = cacheDir.resolve(packId);
        String name = digest + ".zip-v" + ZipImage.OUTPUT_VERSION + ".idx";
        ZipImage image = ZipImage.open(m, m.streamed() ? listing(m) : null, this::openAt, dir.resolve(name), progress);
        try (var old = java.nio.file.Files.newDirectoryStream(dir, "*.zip-v*.idx")) {
            for (Path p : old) {
                if (!p.getFileName().toString().equals(name)) {
                    java.nio.file.Files.deleteIfExists(p);
                }
            }
        }
        return image;
    }

    /**
     * A format-2 pack's files from the library, a page at a time by path: a replacement of the
     * pack meanwhile ends the export with an error rather than a mix of two versions.
     */
    private PackWriter.Listing listing(PackManifest m) {
        String digest = ManifestCodec.digest(m);
        return () -> new PackWriter.FileCursor() {
            private java.util.Iterator<Catalog.ListedFile> page = java.util.Collections.emptyIterator();
            private String after;
            private boolean last;

            @Override
            public FileList.Entry next() throws IOException {
                if (!page.hasNext() && !last) {
                    List<Catalog.ListedFile> files = library.catalog().filesPage(m.id(), digest, after, PAGE)
                            .orElseThrow(() -> new IOException("pack '" + m.id() + "' was removed or replaced while it"
                                    + " was being exported; try again"));
                    last = files.size() < PAGE;
                    page = files.iterator();
                }
                if (!page.hasNext()) {
                    return null;
                }
                Catalog.ListedFile f = page.next();
                after = f.path();
                return new FileList.Entry(f.path(), f.size(), f.sha256(), f.mediaType());
            }

            @Override
            public void close() {
            }
        };
    }

    private static final int PAGE = 2000;

    private InputStream openAt(PackManifest.FileEntry file, long offset) throws IOException {
        if (offset == 0) {
            return open(file);
        }
        FileRecipe recipe = library.chunks().recipe(file.sha256())
                .orElseThrow(() -> new IOException("the content of '" + file.path() + "' is missing; run verify"));
        return library.chunks().open(recipe, offset, file.size() - offset);
    }

    private InputStream open(PackManifest.FileEntry file) throws IOException {
        FileRecipe recipe = library.chunks().recipe(file.sha256())
                .orElseThrow(() -> new IOException("the content of '" + file.path() + "' is missing; run verify"));
        return library.chunks().open(recipe);
    }
}
