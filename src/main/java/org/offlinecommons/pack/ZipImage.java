package org.offlinecommons.pack;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.offlinecommons.store.ProgressListener;

/**
 * The zip that {@link PackExporter} writes to a file, as bytes that can be produced from any
 * offset without producing the ones before: what a download with {@code Content-Length} and
 * {@code Range} needs, without a temporary file per request.
 *
 * <p>A zip's layout follows from each entry's name, size, CRC-32 and compressed size. Names and
 * sizes are in the library; CRCs and deflated sizes are not, so they are computed once per pack
 * version ({@link #open}: one read of the pack, deflating its text) and kept in a small index file
 * of 12 bytes per entry, read sequentially. A slice then walks the entries by arithmetic, opens only
 * the files it covers, and re-deflates a text file from its start when the slice begins inside it
 * (deflate at one level is deterministic). The bytes are those of {@link ZipStreamWriter} writing
 * to a file (patched local headers, no data descriptors), which the tests compare byte for byte.
 */
public final class ZipImage {

    /** A file's bytes from {@code offset} on: a slice that starts inside a stored file opens it there. */
    @FunctionalInterface
    public interface Content {
        InputStream open(PackManifest.FileEntry file, long offset) throws IOException;
    }

    /** Changes whenever the same pack would give other bytes; part of the index's and the ETag's name. */
    public static final int OUTPUT_VERSION = 1;

    private static final int INDEX_MAGIC = 0x4F435A49; // "OCZI"
    private static final long ZIP64_LOCAL_FROM = 0xF0000000L;
    private static final int DOS_DATE_2000 = (20 << 9) | (1 << 5) | 1;
    private static final int FLAG_UTF8 = 0x0800;
    private static final int UNIX_FILE_0644 = 0100644;

    private final PackManifest manifest;
    private final byte[] manifestBytes;
    private final PackWriter.Listing listing;
    private final Content content;
    private final Path indexFile;
    private final long entries;
    private final long listSize;
    private final long centralOffset;
    private final long centralSize;
    private final long length;

    private ZipImage(PackManifest manifest, PackWriter.Listing listing, Content content, Path indexFile,
                     long entries, long listSize, long centralOffset, long centralSize) {
        this.manifest = manifest;
        this.manifestBytes = ManifestCodec.write(manifest);
        this.listing = listing;
        this.content = content;
        this.indexFile = indexFile;
        this.entries = entries;
        this.listSize = listSize;
        this.centralOffset = centralOffset;
        this.centralSize = centralSize;
        this.length = centralOffset + centralSize + (zip64End() ? 76 : 0) + 22;
    }

    /**
     * The image of {@code manifest}'s pack, reading {@code indexFile} if it exists, else computing
     * it (one pass over every file, told to {@code progress}) and writing it there atomically.
     *
     * @param listing a format-2 pack's files; null for format 1 (the manifest lists them)
     */
    public static ZipImage open(PackManifest manifest, PackWriter.Listing listing, Content content,
                                Path indexFile, ProgressListener progress) throws IOException {
        if (manifest.streamed() != (listing != null)) {
            throw new IllegalArgumentException("a listing is needed exactly for a format-2 pack");
        }
        if (!Files.exists(indexFile)) {
            writeIndex(manifest, listing, content, indexFile, progress);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(indexFile), 64))) {
            if (in.readInt() != INDEX_MAGIC) {
                throw new IOException(indexFile + ": not a zip index");
            }
            return new ZipImage(manifest, listing, content, indexFile, in.readLong(), in.readLong(), in.readLong(),
                    in.readLong());
        }
    }

    public long length() {
        return length;
    }

    /** The length of the zip an index file describes, read from its header alone. */
    public static long lengthOf(Path indexFile) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(indexFile), 64))) {
            if (in.readInt() != INDEX_MAGIC) {
                throw new IOException(indexFile + ": not a zip index");
            }
            long entries = in.readLong();
            in.readLong();
            long centralOffset = in.readLong();
            long centralSize = in.readLong();
            boolean zip64 = entries >= 0xFFFF || centralOffset >= ZipLayout.ZIP64_MAGIC
                    || centralSize >= ZipLayout.ZIP64_MAGIC;
            return centralOffset + centralSize + (zip64 ? 76 : 0) + 22;
        }
    }

    /** Writes the whole zip. */
    public void writeAll(OutputStream out) throws IOException {
        write(0, length, out);
    }

    /** Writes bytes {@code [from, to)} of the zip. */
    public void write(long from, long to, OutputStream out) throws IOException {
        if (from < 0 || to > length || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") outside [0, " + length + ")");
        }
        if (from == to) {
            return;
        }
        Slice s = new Slice(from, to, out);
        byte[] buf = new byte[64 * 1024];
        if (from < centralOffset) {
            try (Walk w = new Walk()) {
                while (w.next() && w.offset < to) {
                    byte[] header = localHeader(w);
                    long dataStart = w.offset + header.length;
                    long end = dataStart + w.csize;
                    if (end <= from) {
                        continue;
                    }
                    s.put(w.offset, header);
                    if (dataStart < to) {
                        writeData(w, dataStart, s, buf);
                    }
                }
            }
        }
        if (to > centralOffset && from < centralOffset + centralSize) {
            long at = centralOffset;
            try (Walk w = new Walk()) {
                while (w.next() && at < to) {
                    byte[] record = centralRecord(w);
                    if (at + record.length > from) {
                        s.put(at, record);
                    }
                    at += record.length;
                }
            }
        }
        s.put(centralOffset + centralSize, endRecords());
    }

    private void writeData(Walk w, long dataStart, Slice s, byte[] buf) throws IOException {
        long skip = Math.max(0, s.from - dataStart);
        try (InputStream in = w.open(w.deflate ? 0 : skip)) {
            if (!w.deflate) {
                long left = Math.min(w.size - skip, s.to - dataStart - skip);
                long at = dataStart + skip;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException("'" + w.name + "' is shorter than its " + w.size + " bytes");
                    }
                    s.put(at, buf, 0, n);
                    at += n;
                    left -= n;
                }
                return;
            }
            Deflater deflater = new Deflater(6, true);
            try {
                byte[] out = new byte[64 * 1024];
                long at = dataStart;
                long limit = Math.min(dataStart + w.csize, s.to);
                int n;
                while (at < limit && (n = in.read(buf)) > 0) {
                    deflater.setInput(buf, 0, n);
                    while (at < limit && !deflater.needsInput()) {
                        int k = deflater.deflate(out, 0, out.length, Deflater.NO_FLUSH);
                        s.put(at, out, 0, k);
                        at += k;
                    }
                }
                deflater.finish();
                while (at < limit && !deflater.finished()) {
                    int k = deflater.deflate(out, 0, out.length, Deflater.NO_FLUSH);
                    s.put(at, out, 0, k);
                    at += k;
                }
                if (at < limit || at == dataStart + w.csize && !deflater.finished()) {
                    throw new IOException("'" + w.name + "' no longer deflates to the " + w.csize
                            + " bytes of this pack version's zip index");
                }
            } finally {
                deflater.end();
            }
        }
    }

    /** Copies the parts of written pieces that fall inside the slice. */
    private static final class Slice {
        final long from;
        final long to;
        final OutputStream out;

        Slice(long from, long to, OutputStream out) {
            this.from = from;
            this.to = to;
            this.out = out;
        }

        void put(long at, byte[] b) throws IOException {
            put(at, b, 0, b.length);
        }

        void put(long at, byte[] b, int off, int len) throws IOException {
            long start = Math.max(at, from);
            long end = Math.min(at + len, to);
            if (start < end) {
                out.write(b, off + (int) (start - at), (int) (end - start));
            }
        }
    }

    /** The entries in zip order, each with its index record and local header offset. */
    private final class Walk implements AutoCloseable {
        private final DataInputStream index;
        private final PackWriter.FileCursor cursor;
        private final Iterator<PackManifest.FileEntry> files;
        private long n;
        String name;
        boolean isList;
        byte[] rawName;
        long size;
        boolean deflate;
        long crc;
        long csize;
        long offset;
        private long nextOffset;
        private PackManifest.FileEntry file;

        Walk() throws IOException {
            index = new DataInputStream(new BufferedInputStream(Files.newInputStream(indexFile), 64 * 1024));
            index.skipNBytes(4 + 4 * 8);
            cursor = listing == null ? null : listing.open();
            files = listing == null ? manifest.files().iterator() : null;
        }

        boolean next() throws IOException {
            if (n == entries) {
                return false;
            }
            file = null;
            isList = n == 1 && cursor != null;
            if (n == 0) {
                name = PackManifest.FILE_NAME;
                size = manifestBytes.length;
                deflate = true;
            } else if (n == 1 && cursor != null) {
                name = FileList.ENTRY_NAME;
                size = listSize;
                deflate = true;
            } else {
                if (cursor != null) {
                    FileList.Entry e = cursor.next();
                    file = e == null ? null : e.file();
                } else {
                    file = files.hasNext() ? files.next() : null;
                }
                if (file == null) {
                    throw new IOException("the pack has fewer files than its zip index (" + entries + " entries)");
                }
                name = file.path();
                size = file.size();
                deflate = PackWriter.isCompressible(name);
            }
            rawName = name.getBytes(StandardCharsets.UTF_8);
            try {
                crc = index.readInt() & 0xFFFFFFFFL;
                csize = index.readLong();
            } catch (EOFException e) {
                throw new IOException(indexFile + ": the zip index is truncated", e);
            }
            offset = nextOffset;
            nextOffset = offset + localHeaderSize(rawName.length, zip64Local()) + csize;
            n++;
            return true;
        }

        boolean zip64Local() {
            // The file list's size is not declared to the writer, so it never gets zip64 local sizes.
            return !isList && size >= ZIP64_LOCAL_FROM;
        }

        /** The entry's bytes from {@code offset} on. */
        InputStream open(long offset) throws IOException {
            if (file != null) {
                return content.open(file, offset);
            }
            InputStream in = isList ? new PackWriter.LinesInputStream(listing.open())
                    : new ByteArrayInputStream(manifestBytes);
            in.skipNBytes(offset);
            return in;
        }

        @Override
        public void close() throws IOException {
            try {
                index.close();
            } finally {
                if (cursor != null) {
                    cursor.close();
                }
            }
        }
    }

    private static long localHeaderSize(int nameLength, boolean zip64Local) {
        return 30 + nameLength + (zip64Local ? 20 : 0);
    }

    private static byte[] localHeader(Walk w) {
        boolean zip64Local = w.zip64Local();
        ByteBuffer h = le((int) localHeaderSize(w.rawName.length, zip64Local));
        h.putInt((int) ZipLayout.LOCAL_SIG).putShort((short) (zip64Local ? 45 : 20)).putShort((short) FLAG_UTF8)
                .putShort((short) (w.deflate ? 8 : 0)).putShort((short) 0).putShort((short) DOS_DATE_2000)
                .putInt((int) w.crc).putInt(zip64Local ? -1 : (int) w.csize).putInt(zip64Local ? -1 : (int) w.size)
                .putShort((short) w.rawName.length).putShort((short) (zip64Local ? 20 : 0)).put(w.rawName);
        if (zip64Local) {
            h.putShort((short) 1).putShort((short) 16).putLong(w.size).putLong(w.csize);
        }
        return h.array();
    }

    private static byte[] centralRecord(Walk w) {
        boolean zip64Local = w.zip64Local();
        boolean bigSize = w.size >= ZipLayout.ZIP64_MAGIC || zip64Local;
        boolean bigCsize = w.csize >= ZipLayout.ZIP64_MAGIC || zip64Local;
        boolean bigOffset = w.offset >= ZipLayout.ZIP64_MAGIC;
        int extra = (bigSize ? 8 : 0) + (bigCsize ? 8 : 0) + (bigOffset ? 8 : 0);
        boolean zip64 = extra > 0;
        ByteBuffer c = le(46 + w.rawName.length + (zip64 ? 4 + extra : 0));
        int version = zip64 ? 45 : 20;
        c.putInt((int) ZipLayout.CENTRAL_SIG).putShort((short) ((3 << 8) | version)).putShort((short) version)
                .putShort((short) FLAG_UTF8).putShort((short) (w.deflate ? 8 : 0)).putShort((short) 0)
                .putShort((short) DOS_DATE_2000).putInt((int) w.crc).putInt(bigCsize ? -1 : (int) w.csize)
                .putInt(bigSize ? -1 : (int) w.size).putShort((short) w.rawName.length)
                .putShort((short) (zip64 ? 4 + extra : 0)).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putInt(UNIX_FILE_0644 << 16).putInt(bigOffset ? -1 : (int) w.offset).put(w.rawName);
        if (zip64) {
            c.putShort((short) 1).putShort((short) extra);
            if (bigSize) {
                c.putLong(w.size);
            }
            if (bigCsize) {
                c.putLong(w.csize);
            }
            if (bigOffset) {
                c.putLong(w.offset);
            }
        }
        return c.array();
    }

    private boolean zip64End() {
        return entries >= 0xFFFF || centralOffset >= ZipLayout.ZIP64_MAGIC || centralSize >= ZipLayout.ZIP64_MAGIC;
    }

    private byte[] endRecords() {
        boolean zip64 = zip64End();
        ByteBuffer e = le((zip64 ? 76 : 0) + 22);
        if (zip64) {
            long zip64Offset = centralOffset + centralSize;
            e.putInt((int) ZipLayout.ZIP64_EOCD_SIG).putLong(44).putShort((short) ((3 << 8) | 45)).putShort((short) 45)
                    .putInt(0).putInt(0).putLong(entries).putLong(entries).putLong(centralSize).putLong(centralOffset);
            e.putInt((int) ZipLayout.ZIP64_LOCATOR_SIG).putInt(0).putLong(zip64Offset).putInt(1);
        }
        e.putInt((int) ZipLayout.EOCD_SIG).putShort((short) 0).putShort((short) 0)
                .putShort((short) Math.min(entries, 0xFFFF)).putShort((short) Math.min(entries, 0xFFFF))
                .putInt((int) Math.min(centralSize, ZipLayout.ZIP64_MAGIC))
                .putInt((int) Math.min(centralOffset, ZipLayout.ZIP64_MAGIC)).putShort((short) 0);
        return e.array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** One read of the pack: each entry's CRC-32 and stored size, and the totals, into {@code indexFile}. */
    private static void writeIndex(PackManifest manifest, PackWriter.Listing listing, Content content,
                                   Path indexFile, ProgressListener progress) throws IOException {
        Files.createDirectories(indexFile.getParent());
        Path tmp = Files.createTempFile(indexFile.getParent(), "." + indexFile.getFileName(), ".part");
        try {
            // A provisional image whose walk reads sizes only: the index body is written as it goes.
            long entries = 0;
            long listSize = 0;
            long centralOffset = 0;
            long centralSize = 0;
            long total = manifest.totalSize();
            long[] done = {0};
            byte[] buf = new byte[64 * 1024];
            byte[] sink = new byte[64 * 1024];
            Deflater deflater = new Deflater(6, true);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                    64 * 1024))) {
                out.writeInt(INDEX_MAGIC);
                for (int i = 0; i < 4; i++) {
                    out.writeLong(0);
                }
                PackWriter.FileCursor cursor = listing == null ? null : listing.open();
                Iterator<PackManifest.FileEntry> files = listing == null ? manifest.files().iterator() : null;
                try {
                    byte[] manifestBytes = ManifestCodec.write(manifest);
                    long fileCount = 0;
                    while (true) {
                        String name;
                        long size;
                        InputStream in;
                        boolean countProgress = false;
                        if (entries == 0) {
                            name = PackManifest.FILE_NAME;
                            size = manifestBytes.length;
                            in = new ByteArrayInputStream(manifestBytes);
                        } else if (entries == 1 && listing != null) {
                            name = FileList.ENTRY_NAME;
                            size = -1;
                            in = new PackWriter.LinesInputStream(listing.open());
                        } else {
                            PackManifest.FileEntry f;
                            if (cursor != null) {
                                FileList.Entry e = cursor.next();
                                f = e == null ? null : e.file();
                            } else {
                                f = files.hasNext() ? files.next() : null;
                            }
                            if (f == null) {
                                break;
                            }
                            fileCount++;
                            name = f.path();
                            size = f.size();
                            in = content.open(f, 0);
                            countProgress = true;
                        }
                        boolean deflate = entries < (listing == null ? 1 : 2) || PackWriter.isCompressible(name);
                        CRC32 crc = new CRC32();
                        long read = 0;
                        long csize = 0;
                        deflater.reset();
                        try (InputStream src = in) {
                            int n;
                            while ((n = src.read(buf)) > 0) {
                                crc.update(buf, 0, n);
                                read += n;
                                if (countProgress) {
                                    done[0] += n;
                                    progress.update(done[0], total);
                                }
                                if (deflate) {
                                    deflater.setInput(buf, 0, n);
                                    while (!deflater.needsInput()) {
                                        csize += deflater.deflate(sink, 0, sink.length, Deflater.NO_FLUSH);
                                    }
                                }
                            }
                        }
                        if (deflate) {
                            deflater.finish();
                            while (!deflater.finished()) {
                                csize += deflater.deflate(sink, 0, sink.length, Deflater.NO_FLUSH);
                            }
                        } else {
                            csize = read;
                        }
                        if (size >= 0 && read != size) {
                            throw new IOException("'" + name + "' has " + read + " bytes, not the " + size + " expected");
                        }
                        if (size < 0) {
                            listSize = read;
                            size = read;
                        }
                        boolean zip64Local = !(listing != null && entries == 1) && size >= ZIP64_LOCAL_FROM;
                        int nameLength = name.getBytes(StandardCharsets.UTF_8).length;
                        boolean bigSize = size >= ZipLayout.ZIP64_MAGIC || zip64Local;
                        boolean bigCsize = csize >= ZipLayout.ZIP64_MAGIC || zip64Local;
                        boolean bigOffset = centralOffset >= ZipLayout.ZIP64_MAGIC;
                        int extra = (bigSize ? 8 : 0) + (bigCsize ? 8 : 0) + (bigOffset ? 8 : 0);
                        centralSize += 46 + nameLength + (extra > 0 ? 4 + extra : 0);
                        centralOffset += localHeaderSize(nameLength, zip64Local) + csize;
                        out.writeInt((int) crc.getValue());
                        out.writeLong(csize);
                        entries++;
                    }
                    if (fileCount != manifest.fileCount()) {
                        throw new IOException("the pack lists " + fileCount + " files, not the "
                                + manifest.fileCount() + " expected");
                    }
                } finally {
                    if (cursor != null) {
                        cursor.close();
                    }
                }
            } finally {
                deflater.end();
            }
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ByteBuffer head = ByteBuffer.allocate(32);
                head.putLong(entries).putLong(listSize).putLong(centralOffset).putLong(centralSize).flip();
                while (head.hasRemaining()) {
                    ch.write(head, 4 + head.position());
                }
                ch.force(true);
            }
            Files.move(tmp, indexFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
