package org.offlinecommons.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.offlinecommons.store.ProgressListener;

/**
 * Writes a pack zip deterministically: the same manifest and bytes give the same zip, byte for
 * byte, so packs can be compared and mirrored by hash. pack.json comes first, then the files in
 * manifest order; every entry has the same timestamp and no extra fields; text is deflated,
 * media (already compressed) is stored.
 */
public final class PackWriter {

    private static final Set<String> COMPRESSIBLE = Set.of("html", "htm", "xhtml", "css", "js", "mjs", "json",
            "md", "markdown", "txt", "text", "svg", "xml", "csv", "tsv", "vtt", "srt");

    /** Supplies each file's bytes. */
    @FunctionalInterface
    public interface Content {
        InputStream open(PackManifest.FileEntry file) throws IOException;
    }

    /** A format-2 pack's files in path order, readable from the start as often as needed. */
    @FunctionalInterface
    public interface Listing {
        FileCursor open() throws IOException;
    }

    /** The files of a {@link Listing}, one at a time; null after the last. */
    public interface FileCursor extends AutoCloseable {
        FileList.Entry next() throws IOException;

        @Override
        void close() throws IOException;
    }

    private PackWriter() {
    }

    /**
     * Writes a format-2 pack: pack.json (metadata only), then the file list, then the files, in
     * path order, in memory bounded whatever the number of files. Through a temporary file,
     * fsynced and renamed, as {@link #write(PackManifest, Content, Path, ProgressListener)}.
     */
    public static void writeStreamed(PackManifest manifest, Listing files, Content content, Path target,
                                     ProgressListener progress) {
        writeAtomically(target, tmp -> {
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
                 ZipStreamWriter zip = ZipStreamWriter.toFile(ch, tmp.getParent())) {
                writeStreamedEntries(zip, manifest, files, content, progress);
                ch.force(true);
            }
        });
    }

    /** Writes a zip into a temporary file beside {@code target}. */
    @FunctionalInterface
    private interface ZipBody {
        void writeTo(Path tmp) throws IOException;
    }

    /**
     * Runs {@code body} on a temporary file in {@code target}'s folder, then renames it, so a
     * crash or a full disk never leaves a half-written zip under the real name.
     */
    private static void writeAtomically(Path target, ZipBody body) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
            body.writeTo(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new PackException(PackException.Reason.IO, target + ": cannot write the pack (" + e.getMessage() + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort: a stray .part file is harmless and named as such.
                }
            }
        }
    }

    /** Writes a format-2 pack to a stream (an HTTP answer); {@code tmpDir} holds the central directory meanwhile. */
    public static void writeStreamed(PackManifest manifest, Listing files, Content content, OutputStream out,
                                     Path tmpDir, ProgressListener progress) throws IOException {
        try (ZipStreamWriter zip = ZipStreamWriter.toStream(out, tmpDir)) {
            writeStreamedEntries(zip, manifest, files, content, progress);
        }
    }

    private static void writeStreamedEntries(ZipStreamWriter zip, PackManifest manifest, Listing files,
                                             Content content, ProgressListener progress) throws IOException {
        if (!manifest.streamed()) {
            throw new IllegalArgumentException("not a format-2 manifest");
        }
        long total = manifest.totalSize();
        long[] done = {0};
        byte[] metadata = ManifestCodec.write(manifest);
        zip.add(PackManifest.FILE_NAME, true, metadata.length, () -> new java.io.ByteArrayInputStream(metadata),
                n -> { });
        long[] listed = {0};
        zip.add(FileList.ENTRY_NAME, true, -1, () -> new LinesInputStream(files.open()), n -> listed[0] += n);
        long count = 0;
        try (FileCursor each = files.open();
             ParallelZipEntries entries = new ParallelZipEntries(zip, n -> {
                 done[0] += n;
                 progress.update(done[0], total);
             })) {
            FileList.Entry f;
            while ((f = each.next()) != null) {
                PackManifest.FileEntry file = f.file();
                count++;
                entries.add(f.path(), isCompressible(f.path()), f.size(), () -> content.open(file));
            }
            entries.flush();
        }
        if (count != manifest.fileCount()) {
            throw new IOException("the pack lists " + count + " files, not the " + manifest.fileCount() + " expected");
        }
        zip.finish();
    }

    /** A file list as the bytes of its zip entry, produced line by line. */
    static final class LinesInputStream extends InputStream {
        private final FileCursor files;
        private byte[] line = new byte[0];
        private int pos;
        private boolean ended;

        LinesInputStream(FileCursor files) {
            this.files = files;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (pos == line.length) {
                if (ended) {
                    return -1;
                }
                FileList.Entry e = files.next();
                if (e == null) {
                    ended = true;
                    return -1;
                }
                line = FileList.line(e);
                pos = 0;
            }
            int n = Math.min(len, line.length - pos);
            System.arraycopy(line, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            files.close();
        }
    }

    /**
     * Writes the pack to {@code target} through a temporary file in the same folder, fsynced and
     * renamed, so a crash or a full disk never leaves a half-written zip under the real name.
     */
    public static void write(PackManifest manifest, Content content, Path target, ProgressListener progress) {
        // One writer for every zip we write to a file (ZipStreamWriter, as format 2): its bytes are
        // what ZipImage reproduces for downloads. A seekable target gets sizes and CRCs patched into
        // the local headers, so entries need no data descriptors and each file is read only once.
        writeAtomically(target, tmp -> {
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
                 ZipStreamWriter zip = ZipStreamWriter.toFile(ch, tmp.getParent())) {
                long total = manifest.totalSize();
                long[] done = {0};
                byte[] manifestBytes = ManifestCodec.write(manifest);
                zip.add(PackManifest.FILE_NAME, true, manifestBytes.length,
                        () -> new java.io.ByteArrayInputStream(manifestBytes), n -> { });
                try (ParallelZipEntries entries = new ParallelZipEntries(zip, n -> {
                    done[0] += n;
                    progress.update(done[0], total);
                })) {
                    for (PackManifest.FileEntry f : manifest.files()) {
                        entries.add(f.path(), isCompressible(f.path()), f.size(), () -> content.open(f));
                    }
                    entries.flush();
                }
                zip.finish();
                ch.force(true);
            }
        });
    }

    /**
     * Writes the zip to a stream (for example an HTTP response). A stream cannot be patched
     * afterwards, so stored entries are read twice: once for their CRC, once to write them.
     */
    public static void write(PackManifest manifest, Content content, OutputStream out, ProgressListener progress)
            throws IOException {
        ZipArchiveOutputStream zip = new ZipArchiveOutputStream(new NonClosingOutputStream(out));
        writeEntries(zip, manifest, content, progress, true);
        zip.close();
    }

    private static void writeEntries(ZipArchiveOutputStream zip, PackManifest manifest, Content content,
                                     ProgressListener progress, boolean needCrcFirst) throws IOException {
        long total = manifest.totalSize();
        long[] done = {0};
        zip.setUseZip64(Zip64Mode.AsNeeded);
        zip.setLevel(6); // zlib's default, named so output stays the same if defaults change
        zip.setEncoding("UTF-8");
        zip.setUseLanguageEncodingFlag(true);
        zip.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.NEVER);
        byte[] manifestBytes = ManifestCodec.write(manifest);
        ZipArchiveEntry m = entry(PackManifest.FILE_NAME, true);
        zip.putArchiveEntry(m);
        zip.write(manifestBytes);
        zip.closeArchiveEntry();
        byte[] buf = new byte[64 * 1024];
        for (PackManifest.FileEntry f : manifest.files()) {
            boolean deflate = isCompressible(f.path());
            ZipArchiveEntry e = entry(f.path(), deflate);
            e.setSize(f.size());
            if (!deflate && needCrcFirst) {
                e.setCrc(crc(content, f));
            }
            zip.putArchiveEntry(e);
            long written = 0;
            try (InputStream in = content.open(f)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    zip.write(buf, 0, n);
                    written += n;
                    done[0] += n;
                    progress.update(done[0], total);
                }
            }
            if (written != f.size()) {
                throw new IOException("'" + f.path() + "' has " + written + " bytes, not the " + f.size() + " expected");
            }
            zip.closeArchiveEntry();
        }
        zip.finish();
    }

    private static long crc(Content content, PackManifest.FileEntry f) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = content.open(f)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
            }
        }
        return crc.getValue();
    }

    private static ZipArchiveEntry entry(String path, boolean deflate) {
        ZipArchiveEntry e = new ZipArchiveEntry(path);
        e.setMethod(deflate ? ZipArchiveEntry.DEFLATED : ZipArchiveEntry.STORED);
        e.setTime(FIXED_TIME);
        // Marks the entry as made on Unix: unzip otherwise treats names from "FAT" as code page
        // 437 and mangles UTF-8 names, and extracted files get sane permissions.
        e.setUnixMode(0100644);
        return e;
    }

    /**
     * Zip stores local wall-clock time; this instant is 2000-01-01 00:00 in the local zone, so
     * the stored fields are the same in every time zone.
     */
    private static final long FIXED_TIME =
            LocalDateTime.of(2000, 1, 1, 0, 0).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();

    static boolean isCompressible(String path) {
        int dot = path.lastIndexOf('.');
        return dot >= 0 && COMPRESSIBLE.contains(path.substring(dot + 1).toLowerCase(java.util.Locale.ROOT));
    }
}
