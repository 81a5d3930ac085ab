package org.offlinecommons.pack;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a zip whose central directory never sits in memory: each entry's directory record
 * goes to a temporary file as the entry is written, and is copied after the last entry. Commons
 * Compress keeps an entry object and its metadata per file until the end (measured in
 * docs/performance.md); a pack of ten million files cannot afford that.
 *
 * <p>The output is deterministic, as format 1's: every entry dated 2000-01-01 00:00 (DOS time),
 * made on Unix with mode 0644, the UTF-8 name flag set, text deflated at level 6, no extra field
 * unless zip64 needs one (an entry of 3.75 GiB or more, an offset or a directory past 4 GiB, or
 * 65,535 entries or more). On a file, sizes and CRCs are patched into the local headers; on a
 * stream, a deflated entry is followed by a data descriptor and a stored one is read twice (once
 * for its CRC).
 */
final class ZipStreamWriter implements AutoCloseable {

    /** Supplies an entry's bytes; called twice for a stored entry written to a stream. */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }

    /** Declared sizes from here on get zip64 sizes in their local header (deflate may grow data a little). */
    private static final long ZIP64_LOCAL_FROM = 0xF0000000L;
    private static final int DOS_DATE_2000 = (20 << 9) | (1 << 5) | 1;
    private static final int FLAG_UTF8 = 0x0800;
    private static final int FLAG_DESCRIPTOR = 0x0008;
    private static final int UNIX_FILE_0644 = 0100644;

    private final FileChannel channel;
    private final CountingOutputStream out;
    private final Path centralFile;
    private final CountingOutputStream central;
    private final Deflater deflater = new Deflater(6, true);
    private final byte[] buf = new byte[64 * 1024];
    private long entries;

    private ZipStreamWriter(FileChannel channel, OutputStream target, Path tmpDir) throws IOException {
        this.channel = channel;
        this.out = new CountingOutputStream(new BufferedOutputStream(target, 256 * 1024));
        this.centralFile = Files.createTempFile(tmpDir, ".central-", ".tmp");
        this.central = new CountingOutputStream(new BufferedOutputStream(Files.newOutputStream(centralFile), 256 * 1024));
    }

    /** Writes to {@code channel} from its start; sizes are patched into local headers. */
    static ZipStreamWriter toFile(FileChannel channel, Path tmpDir) throws IOException {
        return new ZipStreamWriter(channel, Channels.newOutputStream(channel), tmpDir);
    }

    /** Writes to a stream that cannot be patched (an HTTP answer); not closed here. */
    static ZipStreamWriter toStream(OutputStream target, Path tmpDir) throws IOException {
        return new ZipStreamWriter(null, new NonClosingOutputStream(target), tmpDir);
    }

    /**
     * Adds an entry of {@code size} bytes; fails if the source holds another number of bytes.
     * {@code progress} is told the bytes read.
     */
    void add(String name, boolean deflate, long size, Source source, java.util.function.LongConsumer progress)
            throws IOException {
        long crcFirst = deflate || channel != null ? 0 : crcOf(source, size);
        // A negative size is unknown (generated content): checked to be small once written.
        Header h = begin(name, deflate, size, crcFirst, -1);
        CRC32 crc = new CRC32();
        long read = 0;
        try (InputStream in = source.open()) {
            int n;
            if (deflate) {
                deflater.reset();
                while ((n = in.read(buf)) > 0) {
                    crc.update(buf, 0, n);
                    read += n;
                    progress.accept(n);
                    deflater.setInput(buf, 0, n);
                    drain(false);
                }
                deflater.finish();
                drain(true);
            } else {
                while ((n = in.read(buf)) > 0) {
                    crc.update(buf, 0, n);
                    out.write(buf, 0, n);
                    read += n;
                    progress.accept(n);
                }
            }
        }
        if (size < 0 && read >= ZIP64_LOCAL_FROM) {
            throw new IOException("'" + name + "' is too large for an entry of unknown size");
        }
        if (size < 0) {
            size = read;
        }
        if (read != size) {
            throw new IOException("'" + name + "' has " + read + " bytes, not the " + size + " expected");
        }
        if (!deflate && channel == null && crc.getValue() != crcFirst) {
            throw new IOException("'" + name + "' changed while it was being written");
        }
        end(h, crc.getValue(), size, false);
    }

    /**
     * Adds an entry whose bytes were read (and deflated) beforehand, maybe on another thread; the
     * zip's bytes are those {@link #add(String, boolean, long, Source, java.util.function.LongConsumer)}
     * writes for the same content.
     */
    void add(String name, PreparedEntry entry) throws IOException {
        if (entry.size() >= ZIP64_LOCAL_FROM) {
            throw new IllegalArgumentException("prepared entries are small");
        }
        // On a file, the header is written complete: the same bytes as patched afterwards, without
        // a flush and a positioned write per entry.
        Header h = begin(name, entry.deflated(), entry.size(), entry.crc(), channel != null ? entry.length() : -1);
        out.write(entry.data(), 0, entry.length());
        end(h, entry.crc(), entry.size(), channel != null);
    }

    /** What {@link #begin} wrote, for {@link #end}. */
    private record Header(byte[] rawName, int flags, int method, long offset, long dataStart, boolean zip64Local,
                          boolean descriptor) {
    }

    /**
     * Writes a local header. {@code knownCsize} is the stored size when known up front (a
     * prepared entry on a file: crc and sizes go in at once), else -1 (patched or described later).
     */
    private Header begin(String name, boolean deflate, long size, long crc, long knownCsize) throws IOException {
        byte[] rawName = name.getBytes(StandardCharsets.UTF_8);
        boolean seekable = channel != null;
        boolean zip64Local = size >= ZIP64_LOCAL_FROM;
        boolean descriptor = deflate && !seekable;
        boolean complete = knownCsize >= 0;
        int flags = FLAG_UTF8 | (descriptor ? FLAG_DESCRIPTOR : 0);
        int method = deflate ? 8 : 0;
        long offset = out.count();
        ByteBuffer h = le(30 + rawName.length + (zip64Local ? 20 : 0));
        h.putInt((int) ZipLayout.LOCAL_SIG).putShort((short) (zip64Local ? 45 : 20)).putShort((short) flags).putShort((short) method)
                .putShort((short) 0).putShort((short) DOS_DATE_2000);
        long csizeField = complete ? knownCsize : deflate || size < 0 ? 0 : size;
        boolean crcKnown = complete || (!deflate && !seekable);
        h.putInt(descriptor || !crcKnown ? 0 : (int) crc);
        h.putInt(zip64Local ? -1 : descriptor ? 0 : (int) csizeField);
        h.putInt(zip64Local ? -1 : descriptor || size < 0 ? 0 : (int) size);
        h.putShort((short) rawName.length).putShort((short) (zip64Local ? 20 : 0)).put(rawName);
        if (zip64Local) {
            h.putShort((short) 1).putShort((short) 16).putLong(descriptor ? 0 : size).putLong(csizeField);
        }
        out.write(h.array());
        return new Header(rawName, flags, method, offset, out.count(), zip64Local, descriptor);
    }

    /** Ends an entry: its data descriptor, or its header patched, and its central directory record. */
    private void end(Header h, long crc, long size, boolean headerComplete) throws IOException {
        long csize = out.count() - h.dataStart();
        if (h.descriptor()) {
            ByteBuffer d = le(h.zip64Local() ? 24 : 16);
            d.putInt((int) ZipLayout.DESCRIPTOR_SIG).putInt((int) crc);
            if (h.zip64Local()) {
                d.putLong(csize).putLong(size);
            } else {
                d.putInt((int) csize).putInt((int) size);
            }
            out.write(d.array());
        } else if (channel != null && !headerComplete) {
            out.flush();
            ByteBuffer p = le(12);
            p.putInt((int) crc).putInt(h.zip64Local() ? -1 : (int) csize).putInt(h.zip64Local() ? -1 : (int) size);
            writeAt(p, h.offset() + 14);
            if (h.zip64Local()) {
                ByteBuffer z = le(16);
                z.putLong(size).putLong(csize);
                writeAt(z, h.offset() + 30 + h.rawName().length + 4);
            }
        }
        writeCentral(h.rawName(), h.flags(), h.method(), crc, csize, size, h.offset(), h.zip64Local());
        entries++;
    }

    private void drain(boolean finishing) throws IOException {
        while (finishing ? !deflater.finished() : !deflater.needsInput()) {
            int n = deflater.deflate(deflateBuf, 0, deflateBuf.length, Deflater.NO_FLUSH);
            if (n > 0) {
                out.write(deflateBuf, 0, n);
            }
        }
    }

    private final byte[] deflateBuf = new byte[64 * 1024];

    private long crcOf(Source source, long size) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = source.open()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
            }
        }
        return crc.getValue();
    }

    private void writeCentral(byte[] rawName, int flags, int method, long crc, long csize, long size, long offset,
                              boolean zip64Local) throws IOException {
        boolean bigSize = size >= ZipLayout.ZIP64_MAGIC || zip64Local;
        boolean bigCsize = csize >= ZipLayout.ZIP64_MAGIC || zip64Local;
        boolean bigOffset = offset >= ZipLayout.ZIP64_MAGIC;
        int extra = (bigSize ? 8 : 0) + (bigCsize ? 8 : 0) + (bigOffset ? 8 : 0);
        boolean zip64 = extra > 0;
        ByteBuffer c = le(46 + rawName.length + (zip64 ? 4 + extra : 0));
        int version = zip64 ? 45 : 20;
        c.putInt((int) ZipLayout.CENTRAL_SIG).putShort((short) ((3 << 8) | version)).putShort((short) version)
                .putShort((short) flags).putShort((short) method).putShort((short) 0).putShort((short) DOS_DATE_2000)
                .putInt((int) crc).putInt(bigCsize ? -1 : (int) csize).putInt(bigSize ? -1 : (int) size)
                .putShort((short) rawName.length).putShort((short) (zip64 ? 4 + extra : 0)).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(UNIX_FILE_0644 << 16)
                .putInt(bigOffset ? -1 : (int) offset).put(rawName);
        if (zip64) {
            c.putShort((short) 1).putShort((short) extra);
            if (bigSize) {
                c.putLong(size);
            }
            if (bigCsize) {
                c.putLong(csize);
            }
            if (bigOffset) {
                c.putLong(offset);
            }
        }
        central.write(c.array());
    }

    /** Copies the central directory after the entries and ends the zip. Returns the zip's size. */
    long finish() throws IOException {
        central.close();
        long centralOffset = out.count();
        long centralSize = Files.size(centralFile);
        try (InputStream in = Files.newInputStream(centralFile)) {
            in.transferTo(out);
        }
        Files.deleteIfExists(centralFile);
        boolean zip64 = entries >= 0xFFFF || centralOffset >= ZipLayout.ZIP64_MAGIC || centralSize >= ZipLayout.ZIP64_MAGIC;
        if (zip64) {
            long zip64Offset = out.count();
            ByteBuffer z = le(56 + 20);
            z.putInt((int) ZipLayout.ZIP64_EOCD_SIG).putLong(44).putShort((short) ((3 << 8) | 45)).putShort((short) 45).putInt(0)
                    .putInt(0).putLong(entries).putLong(entries).putLong(centralSize).putLong(centralOffset);
            z.putInt((int) ZipLayout.ZIP64_LOCATOR_SIG).putInt(0).putLong(zip64Offset).putInt(1);
            out.write(z.array());
        }
        ByteBuffer e = le(22);
        e.putInt((int) ZipLayout.EOCD_SIG).putShort((short) 0).putShort((short) 0)
                .putShort((short) Math.min(entries, 0xFFFF)).putShort((short) Math.min(entries, 0xFFFF))
                .putInt((int) Math.min(centralSize, ZipLayout.ZIP64_MAGIC)).putInt((int) Math.min(centralOffset, ZipLayout.ZIP64_MAGIC))
                .putShort((short) 0);
        out.write(e.array());
        out.flush();
        return out.count();
    }

    private void writeAt(ByteBuffer b, long position) throws IOException {
        b.flip();
        long pos = position;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() throws IOException {
        deflater.end();
        try {
            central.close();
        } finally {
            Files.deleteIfExists(centralFile);
        }
    }

    /** Counts what passed, for offsets. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        long count() {
            return count;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
