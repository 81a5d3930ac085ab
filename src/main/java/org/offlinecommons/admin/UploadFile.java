package org.offlinecommons.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An uploaded pack on its way to disk: bytes are written as they arrive and counted, and the
 * upload is refused the moment it passes the limit, so no upload is ever held in memory and
 * none can fill the disk by lying about its size.
 */
public final class UploadFile implements AutoCloseable {

    private final Path folder;
    private final Path file;
    private final String name;
    private final long limit;
    private final FileChannel out;
    private long size;
    private boolean kept;

    UploadFile(Path folder, String name, long limit) throws IOException {
        this.folder = folder;
        this.name = name;
        this.file = folder.resolve(name);
        this.limit = limit;
        this.out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** The name the admin's file had (made safe), for messages and the job's title. */
    public String name() {
        return name;
    }

    public Path path() {
        return file;
    }

    public long size() {
        return size;
    }

    /** @throws UploadTooLargeException once the bytes written pass the limit */
    public void write(ByteBuffer bytes) throws IOException {
        size += bytes.remaining();
        if (size > limit) {
            throw new UploadTooLargeException(limit);
        }
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    /** Copies a whole body (a raw upload), 64 KiB at a time. */
    public void writeAll(InputStream body) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = body.read(buffer)) != -1) {
            write(ByteBuffer.wrap(buffer, 0, n));
        }
    }

    /** Ends writing and keeps the file for an import, which then owns it. */
    void finish() throws IOException {
        out.force(false);
        out.close();
        kept = true;
    }

    /** Removes the file, unless it was handed to an import. Safe to call twice. */
    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // Deleted next anyway.
        }
        if (!kept) {
            delete(folder);
        }
    }

    static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the uploaded file " + folder + ": " + e.getMessage(), e);
        }
    }
}
