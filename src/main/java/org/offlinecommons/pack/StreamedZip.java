package org.offlinecommons.pack;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.apache.commons.compress.archivers.zip.ZipEightByteInteger;
import org.apache.commons.compress.archivers.zip.ZipLong;
import org.apache.commons.compress.archivers.zip.ZipShort;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * A zip read one central directory record at a time, for format-2 packs: nothing is kept per
 * entry, so a zip of ten million entries is read in the memory of one. (Commons Compress's
 * ZipFile keeps an object per entry, several hundred bytes each.) Entries' data are read by
 * positional reads of one shared channel, so several can be open at once.
 */
final class StreamedZip implements AutoCloseable {

    private static final int UNICODE_PATH_EXTRA = 0x7075;

    /** One central directory record. */
    record Entry(String name, byte[] rawName, int flags, int method, long crc, long compressedSize, long size,
                 long localOffset, boolean symlink, boolean unicodeExtra) {
        boolean directory() {
            return name.endsWith("/");
        }
    }

    private final String fileName;
    private final FileChannel channel;
    private final ZipLayout layout;

    StreamedZip(Path file, String fileName, ZipLayout layout) throws IOException {
        this.fileName = fileName;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.layout = layout;
    }

    /** The records in central directory order. */
    Cursor entries() {
        return new Cursor();
    }

    /** Walks the central directory; a damaged record is refused with the file's name. */
    final class Cursor {
        private final InputStream in = new BufferedInputStream(new ChannelInputStream(layout.centralStart(),
                layout.centralSize()), 1 << 16);
        private final byte[] header = new byte[46];
        private long read;

        Entry next() throws IOException {
            if (read >= layout.centralSize()) {
                return null;
            }
            if (in.readNBytes(header, 0, 46) != 46 || ZipLong.getValue(header, 0) != ZipLayout.CENTRAL_SIG) {
                throw damaged("its table of contents (central directory) is damaged");
            }
            int madeBy = ZipShort.getValue(header, 4);
            int flags = ZipShort.getValue(header, 8);
            int method = ZipShort.getValue(header, 10);
            long crc = ZipLong.getValue(header, 16);
            long compressed = ZipLong.getValue(header, 20);
            long size = ZipLong.getValue(header, 24);
            int nameLength = ZipShort.getValue(header, 28);
            int extraLength = ZipShort.getValue(header, 30);
            int commentLength = ZipShort.getValue(header, 32);
            long external = ZipLong.getValue(header, 38);
            long offset = ZipLong.getValue(header, 42);
            byte[] raw = in.readNBytes(nameLength);
            byte[] extra = in.readNBytes(extraLength);
            in.skipNBytes(commentLength);
            read += 46L + nameLength + extraLength + commentLength;
            if (raw.length != nameLength || extra.length != extraLength) {
                throw damaged("its table of contents (central directory) is cut short");
            }
            boolean unicodeExtra = false;
            int pos = 0;
            while (pos + 4 <= extra.length) {
                int id = ZipShort.getValue(extra, pos);
                int len = ZipShort.getValue(extra, pos + 2);
                if (pos + 4 + len > extra.length) {
                    break;
                }
                if (id == 1) {
                    int at = pos + 4;
                    if (size == ZipLayout.ZIP64_MAGIC && at + 8 <= pos + 4 + len) {
                        size = ZipEightByteInteger.getLongValue(extra, at);
                        at += 8;
                    }
                    if (compressed == ZipLayout.ZIP64_MAGIC && at + 8 <= pos + 4 + len) {
                        compressed = ZipEightByteInteger.getLongValue(extra, at);
                        at += 8;
                    }
                    if (offset == ZipLayout.ZIP64_MAGIC && at + 8 <= pos + 4 + len) {
                        offset = ZipEightByteInteger.getLongValue(extra, at);
                    }
                } else if (id == UNICODE_PATH_EXTRA) {
                    unicodeExtra = true;
                }
                pos += 4 + len;
            }
            String name;
            try {
                name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw PackException.invalid(fileName + ": a zip entry's name is not UTF-8 ("
                        + new String(raw, StandardCharsets.ISO_8859_1) + ")");
            }
            boolean symlink = (madeBy >> 8) == 3 && ((external >>> 16) & 0170000) == 0120000;
            return new Entry(name, raw, flags, method, crc, compressed, size, offset, symlink, unicodeExtra);
        }
    }

    /**
     * Checks an entry's local header against its central record, and that its data start at
     * or after {@code previousEnd} (entries in the order of their data, none overlapping) and
     * end before the central directory. Returns where its data end.
     */
    long checkLocal(Entry e, long previousEnd) throws IOException {
        String where = fileName + ": zip entry '" + e.name() + "'";
        long offset = e.localOffset();
        if (offset < previousEnd) {
            throw PackException.invalid(where + " overlaps the data of the entry before it, or is out of order"
                    + " (format 2 keeps entries' data in central directory order)");
        }
        if (offset + 30 > layout.centralStart()) {
            throw PackException.invalid(where + " points outside the zip's data (the zip is damaged)");
        }
        byte[] h = new byte[30];
        ZipLayout.readFully(channel, ByteBuffer.wrap(h), offset);
        if (ZipLong.getValue(h, 0) != ZipLayout.LOCAL_SIG) {
            throw PackException.invalid(where + " has no local header where the zip's central directory says (the zip"
                    + " is damaged)");
        }
        int flags = ZipShort.getValue(h, 6);
        int method = ZipShort.getValue(h, 8);
        long crc = ZipLong.getValue(h, 14);
        long compressed = ZipLong.getValue(h, 18);
        long size = ZipLong.getValue(h, 22);
        int nameLength = ZipShort.getValue(h, 26);
        int extraLength = ZipShort.getValue(h, 28);
        long dataStart = offset + 30 + nameLength + extraLength;
        if (dataStart > layout.centralStart()) {
            throw PackException.invalid(where + " points outside the zip's data (the zip is damaged)");
        }
        byte[] variable = new byte[nameLength + extraLength];
        ZipLayout.readFully(channel, ByteBuffer.wrap(variable), offset + 30);
        if (!Arrays.equals(Arrays.copyOfRange(variable, 0, nameLength), e.rawName())) {
            throw disagree(where, "has another name in its local header");
        }
        if (method != e.method()) {
            throw disagree(where, "uses compression method " + method + " in its local header but " + e.method()
                    + " in the central directory");
        }
        if ((flags & ZipLayout.MEANINGFUL_FLAGS) != (e.flags() & ZipLayout.MEANINGFUL_FLAGS)) {
            throw disagree(where, "has other flags in its local header");
        }
        if ((flags & 8) == 0) {
            if (compressed == ZipLayout.ZIP64_MAGIC || size == ZipLayout.ZIP64_MAGIC) {
                long[] zip64 = ZipLayout.zip64Sizes(variable, nameLength, extraLength);
                if (zip64 == null) {
                    throw disagree(where, "lacks the zip64 sizes its local header refers to");
                }
                size = size == ZipLayout.ZIP64_MAGIC ? zip64[0] : size;
                compressed = compressed == ZipLayout.ZIP64_MAGIC ? zip64[1] : compressed;
            }
            if (size != e.size() || compressed != e.compressedSize() || crc != e.crc()) {
                throw disagree(where, "declares other sizes or another CRC-32 in its local header");
            }
        }
        long dataEnd = dataStart + e.compressedSize();
        if (dataEnd > layout.centralStart()) {
            throw PackException.invalid(where + " runs past the end of the zip's data (the zip is truncated or"
                    + " damaged)");
        }
        return dataEnd;
    }

    /**
     * An entry's content, checked against its CRC-32 at its end, and cut one byte past its
     * declared size (so that a reader can tell an entry that inflates to more).
     */
    InputStream open(Entry e) throws IOException {
        byte[] h = new byte[30];
        ZipLayout.readFully(channel, ByteBuffer.wrap(h), e.localOffset());
        long dataStart = e.localOffset() + 30 + ZipShort.getValue(h, 26) + ZipShort.getValue(h, 28);
        InputStream raw = new ChannelInputStream(dataStart, e.compressedSize());
        InputStream data;
        if (e.method() == 8) {
            Inflater inflater = new Inflater(true);
            // The raw inflater may want one byte past the data to see its end.
            data = new InflaterInputStream(new SequenceInputStream(raw, new ByteArrayInputStream(new byte[1])),
                    inflater, 64 * 1024) {
                private boolean closed;

                @Override
                public void close() throws IOException {
                    if (!closed) {
                        closed = true;
                        inflater.end();
                    }
                    super.close();
                }
            };
        } else {
            data = raw;
        }
        InputStream checked = new PackArchive.CrcCheckingInputStream(data, e.crc());
        return BoundedInputStream.builder().setInputStream(checked).setMaxCount(e.size() + 1).get();
    }

    private PackException damaged(String what) {
        return PackException.invalid(fileName + ": is not a readable zip file: " + what);
    }

    private static PackException disagree(String where, String what) {
        return PackException.invalid(where + " " + what + "; the zip's central directory and local headers"
                + " disagree, so other tools would see different files");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Bytes [start, start + length) of the channel, by positional reads. */
    private final class ChannelInputStream extends InputStream {
        private long position;
        private final long end;

        ChannelInputStream(long start, long length) {
            this.position = start;
            this.end = start + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                throw new java.io.EOFException(fileName + ": ends in the middle of an entry");
            }
            position += n;
            return n;
        }
    }
}
