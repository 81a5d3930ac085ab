package org.offlinecommons.pack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.offlinecommons.store.ProgressListener;

/** Real folders and zips for tests: built with the same code admins use. */
public final class PackFixtures {

    private PackFixtures() {
    }

    public static Path write(Path root, String relative, String text) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /**
     * Writes {@code size} pseudo-random bytes, the same for the same seed: incompressible, like
     * real media, and reproducible without storing fixtures.
     */
    public static Path writeRandom(Path root, String relative, long size, long seed) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(p)) {
            long left = size;
            while (left > 0) {
                for (int i = 0; i < buf.length; i += 8) {
                    long v = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        buf[i + b] = (byte) (v >>> (8 * b));
                    }
                }
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
        return p;
    }

    /** A small site: an entry page linking to a nested page, a Markdown note and a text file. */
    public static Path smallSite(Path root) throws IOException {
        write(root, "index.html", "<!doctype html><title>Welcome to the garden</title>"
                + "<h1>Garden</h1><p>Read about <a href=\"plants/beans.html\">beans</a>.</p>");
        write(root, "plants/beans.html", "<!doctype html><title>Growing beans</title>"
                + "<p>Beans need sun and water. <a href=\"../index.html\">Back</a></p>");
        write(root, "notes/soil.md", "# Soil and compost\n\nCompost feeds the *soil*.\n");
        write(root, "readme.txt", "Plain words about photosynthesis.\n");
        return root;
    }

    public static Path build(Path folder, String id, String title, Path zip) {
        PackBuilder.build(folder, PackBuilder.Options.of(id, title), zip, ProgressListener.NONE);
        return zip;
    }

    public static Path build(Path folder, PackBuilder.Options options, Path zip) {
        PackBuilder.build(folder, options, zip, ProgressListener.NONE);
        return zip;
    }

    /** A file's SHA-256, read as a stream, in hex. */
    public static String sha256(Path file) throws IOException {
        java.security.MessageDigest d = org.offlinecommons.store.Hashes.sha256();
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return org.offlinecommons.store.Hashes.hex(d.digest());
    }
}
