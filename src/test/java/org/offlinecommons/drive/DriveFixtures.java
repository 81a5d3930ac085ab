package org.offlinecommons.drive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.ZipEdits;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.StoredFile;

/** Packs, damaged packs and drives for the drive tests, built with the code admins use. */
final class DriveFixtures {

    private DriveFixtures() {
    }

    /** A small real pack: a few pages and one incompressible "media" file. */
    static Path pack(Path workDir, String id, long version, Path zip) throws IOException {
        Path site = workDir.resolve("sources").resolve(id + "-" + version);
        PackFixtures.write(site, "index.html", "<!doctype html><title>" + id + " home</title><p>Welcome to " + id
                + ", version " + version + ".</p>");
        PackFixtures.write(site, "lessons/one.md", "# Lesson one of " + id + "\n\nWords.\n");
        PackFixtures.writeRandom(site, "media/clip.bin", 150_000 + version, id.hashCode() + version);
        Files.createDirectories(zip.toAbsolutePath().getParent());
        PackBuilder.build(site, new PackBuilder.Options(id, "Pack " + id, version, "en", null, null, null, null, null),
                zip, org.offlinecommons.store.ProgressListener.NONE);
        return settled(zip);
    }

    /** A pack with the same id and version as {@link #pack}'s, but other content. */
    static Path changed(Path workDir, String id, long version, Path zip) throws IOException {
        Path site = workDir.resolve("sources").resolve(id + "-" + version + "-changed");
        PackFixtures.write(site, "index.html", "<!doctype html><title>" + id + " home</title><p>Changed.</p>");
        Files.createDirectories(zip.toAbsolutePath().getParent());
        PackBuilder.build(site, new PackBuilder.Options(id, "Pack " + id, version, "en", null, null, null, null, null),
                zip, org.offlinecommons.store.ProgressListener.NONE);
        return settled(zip);
    }

    /** A file that is not a zip at all, named like one. */
    static Path notAZip(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, "holiday photos, honest");
        return settled(file);
    }

    /** A structurally perfect pack whose index.html does not match its hash: found out only while importing. */
    static Path tampered(Path workDir, String id, Path zip) throws IOException {
        Path good = pack(workDir, id, 1, workDir.resolve("untampered-" + id + ".zip"));
        Files.createDirectories(zip.toAbsolutePath().getParent());
        Files.write(zip, ZipEdits.mutateEntry(Files.readAllBytes(good), "index.html", ZipEdits::flipFirstByte));
        return settled(zip);
    }

    /** Backdates a file, as a pack copied a while ago would be: it has settled. */
    static Path settled(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        return file;
    }

    /** What readers can see of one pack: its record, items, and every byte of its files. */
    static String packDigest(Library library, String id) throws IOException {
        PackRecord p = library.catalog().pack(id).orElseThrow();
        MessageDigest d = Hashes.sha256();
        d.update((p.id() + "|" + p.version() + "|" + p.digest() + "|" + p.itemCount() + "|" + p.fileCount())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (Item i : library.catalog().items(id)) {
            d.update(i.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        for (StoredFile f : library.catalog().files(id)) {
            d.update(f.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try (InputStream in = library.chunks().open(library.chunks().recipe(f.sha256()).orElseThrow())) {
                d.update(in.readAllBytes());
            }
        }
        return Hashes.hex(d.digest());
    }
}
