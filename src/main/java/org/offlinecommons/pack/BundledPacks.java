package org.offlinecommons.pack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;

/**
 * The packs that ship next to the server (the repository's {@code content-packs/}): folders
 * holding a pack.json are built into zips beside them, then every zip that is new or newer than
 * what the library has is imported. Older or equal ones are left alone, so restarting is cheap.
 */
public final class BundledPacks {

    /** What happened to one pack file. {@code error} is null on success. */
    public record Outcome(Path file, ImportResult result, String error) {
    }

    private final Path folder;

    public BundledPacks(Path folder) {
        this.folder = folder;
    }

    /**
     * Rebuilds {@code NAME.zip} from each {@code NAME/} folder holding a pack.json, replacing
     * the zip only when its bytes would change.
     */
    public List<Path> buildSources() {
        List<Path> built = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return built;
        }
        for (Path dir : list(folder)) {
            if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve(PackManifest.FILE_NAME))) {
                continue;
            }
            Path zip = dir.resolveSibling(dir.getFileName() + ".zip");
            Path tmp = dir.resolveSibling("." + dir.getFileName() + ".zip.new");
            try {
                PackBuilder.buildStreamed(dir, new PackBuilder.Options(null, null, null, null, null, null, null, null,
                        null), tmp, ProgressListener.NONE);
                if (Files.exists(zip) && Files.mismatch(zip, tmp) == -1) {
                    Files.delete(tmp);
                } else {
                    Files.move(tmp, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    built.add(zip);
                }
            } catch (IOException e) {
                throw new PackException(PackException.Reason.IO, zip + ": cannot be written (" + e.getMessage() + ")", e);
            }
        }
        return built;
    }

    /** Imports every zip in the folder that is not installed, or newer than the installed one. */
    public List<Outcome> importNewer(Library library, PackImporter importer) {
        List<Outcome> outcomes = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return outcomes;
        }
        for (Path zip : list(folder)) {
            if (!Files.isRegularFile(zip) || !zip.getFileName().toString().endsWith(".zip")) {
                continue;
            }
            try {
                PackManifest m;
                try (PackArchive archive = PackArchive.open(zip)) {
                    m = archive.manifest();
                }
                Optional<PackRecord> installed = library.catalog().pack(m.id());
                if (installed.isPresent() && installed.get().version() >= m.version()) {
                    continue;
                }
                outcomes.add(new Outcome(zip, importer.importPack(zip, ProgressListener.NONE), null));
            } catch (PackException e) {
                outcomes.add(new Outcome(zip, null, e.getMessage()));
            }
        }
        return outcomes;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new PackException(PackException.Reason.IO, dir + ": cannot be listed (" + e.getMessage() + ")", e);
        }
    }
}
