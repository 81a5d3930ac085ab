package org.offlinecommons.drive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;
import org.offlinecommons.pack.ManifestCodec;
import org.offlinecommons.pack.PackArchive;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackLimits;
import org.offlinecommons.pack.PackManifest;
import org.offlinecommons.pack.ZimImporter;
import org.offlinecommons.store.GenerationCache;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;

/**
 * Reads pack zips just far enough to say what they are (every structural check, and pack.json)
 * and compares them with the library. What a zip holds is remembered by path, size and
 * modification time, so that a drive listed every few seconds is read once; how it compares
 * with the library is worked out afresh each time, since the library changes.
 */
final class PackInspector {

    private static final int REMEMBERED = 1024;

    private record Key(Path file, long size, long modified) {
    }

    /** What a zip holds; {@code refusal} is set when it cannot be imported at all. */
    private record Contents(String id, long version, String title, long packBytes, String digest,
                            PackException refusal) {
    }

    private final Library library;
    private final PackLimits limits;
    /** By file, size and time: a zip that changes is read again. */
    private final GenerationCache<Key, Contents> remembered = new GenerationCache<>(REMEMBERED);

    PackInspector(Library library, PackLimits limits) {
        this.library = library;
        this.limits = limits;
    }

    /** The file's state, or empty if it is gone. */
    Optional<FoundPack> inspect(Path file) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return Optional.empty();
        }
        Key key = new Key(file, attrs.size(), attrs.lastModifiedTime().toMillis());
        Contents contents = remembered.get(key, GenerationCache.TIMELESS, () -> read(file));
        return Optional.of(compare(file, attrs, contents));
    }

    /** A found pack that has not been read because it is still changing. */
    static FoundPack copying(Path file, long size, Instant modified, long settleSeconds) {
        return new FoundPack(file, size, modified, PackState.COPYING, null, 0, null, 0, 0,
                file.getFileName() + ": is still being written; it is read once it has not changed for "
                        + settleSeconds + " seconds", null);
    }

    private Contents read(Path file) {
        if (ZimImporter.isZim(file)) {
            try {
                ZimImporter.Summary z = ZimImporter.inspect(file);
                // Its digest is known only once imported: a ZIM of the installed name and date counts as installed.
                return new Contents(z.packId(), z.version(), z.title(), z.fileBytes(), null, null);
            } catch (PackException e) {
                return new Contents(null, 0, null, 0, null, e);
            }
        }
        try (PackArchive archive = PackArchive.open(file, limits)) {
            PackManifest m = archive.manifest();
            return new Contents(m.id(), m.version(), m.title(), m.totalSize(), ManifestCodec.digest(m), null);
        } catch (PackException e) {
            return new Contents(null, 0, null, 0, null, e);
        } catch (RuntimeException e) {
            // A hostile zip can trip the zip library in ways it does not declare.
            return new Contents(null, 0, null, 0, null, PackException.invalid(file.getFileName()
                    + ": is not a readable zip file (" + e + ")"));
        }
    }

    private FoundPack compare(Path file, BasicFileAttributes attrs, Contents c) {
        Instant modified = attrs.lastModifiedTime().toInstant();
        String name = file.getFileName().toString();
        if (c.refusal() != null) {
            return new FoundPack(file, attrs.size(), modified, PackState.INVALID, null, 0, null, 0, 0,
                    c.refusal().getMessage(), c.refusal().reason());
        }
        Optional<PackRecord> installed = library.catalog().pack(c.id());
        PackState state;
        String detail;
        PackException.Reason refusal = null;
        long installedVersion = installed.map(PackRecord::version).orElse(0L);
        if (installed.isEmpty()) {
            state = PackState.NEW;
            detail = "not installed";
        } else if (installedVersion < c.version()) {
            state = PackState.NEWER;
            detail = "newer than the installed version " + installedVersion;
        } else if (installedVersion > c.version()) {
            state = PackState.OLDER;
            detail = name + ": pack '" + c.id() + "' version " + c.version() + " is older than the installed version "
                    + installedVersion + "; nothing was changed";
            refusal = PackException.Reason.CONFLICT;
        } else if (c.digest() == null || installed.get().digest().equals(c.digest())) {
            state = PackState.INSTALLED;
            detail = "already installed";
        } else {
            state = PackState.INVALID;
            detail = name + ": pack '" + c.id() + "' version " + c.version() + " is already installed with different"
                    + " content; a changed pack needs a higher version number";
            refusal = PackException.Reason.CONFLICT;
        }
        return new FoundPack(file, attrs.size(), modified, state, c.id(), c.version(), c.title(), c.packBytes(),
                installedVersion, detail, refusal);
    }
}
