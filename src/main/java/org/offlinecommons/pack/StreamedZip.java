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
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
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
        private final byte[] header = new byte[ZipLayout.CENTRAL_HEADER_SIZE];
        private long read;

        Entry next() throws IOException {
            if (read >= layout.centralSize()) {
                return null;
            }
            ZipLayout.CentralHeader record = in.readNBytes(header, 0, header.length) == header.length
                    ? ZipLayout.CentralHeader.parse(header) : null;
            if (record == null) {
                throw damaged("its table of contents (central directory) is damaged");
            }
            byte[] raw = in.readNBytes(record.nameLength());
            byte[] extra = in.readNBytes(record.extraLength());
            in.skipNBytes(record.commentLength());
            read += ZipLayout.CENTRAL_HEADER_SIZE + record.variableLength();
            if (raw.length != record.nameLength() || extra.length != record.extraLength()) {
                throw damaged("its table of contents (central directory) is cut short");
            }
            record = record.withZip64(extra);
            boolean unicodeExtra = false;
            int pos = 0;
            while (pos + 4 <= extra.length) {
                int len = ZipShort.getValue(extra, pos + 2);
                if (pos + 4 + len > extra.length) {
                    break;
                }
                unicodeExtra |= ZipShort.getValue(extra, pos) == UNICODE_PATH_EXTRA;
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
            boolean symlink = (record.madeBy() >> 8) == 3
                    && ((record.externalAttributes() >>> 16) & 0170000) == 0120000;
            return new Entry(name, raw, record.flags(), record.method(), record.crc(), record.compressedSize(),
                    record.size(), record.localOffset(), symlink, unicodeExtra);
        }
    }

    /**
     * Checks an entry's local header against its central record, and that its data start at
     * or after {@code previousEnd} (entries in the order of their data, none overlapping) and
     * end before the central directory. Returns where its data end.
     */
    long checkLocal(Entry e, long previousEnd) throws IOException {
        if (e.localOffset() < previousEnd) {
            throw PackException.invalid(fileName + ": zip entry '" + e.name() + "' overlaps the data of the entry"
                    + " before it, or is out of order (format 2 keeps entries' data in central directory order)");
        }
        return layout.checkLocalHeader(channel, new ZipLayout.CentralFields(e.name(), e.rawName(), e.flags(),
                e.method(), e.crc(), e.compressedSize(), e.size(), e.localOffset()));
    }

    /**
     * An entry's content, checked against its CRC-32 at its end, and cut one byte past its
     * declared size (so that a reader can tell an entry that inflates to more).
     */
    InputStream open(Entry e) throws IOException {
        ZipLayout.LocalHeader local = ZipLayout.LocalHeader.read(channel, e.localOffset());
        if (local == null) {
            throw damaged("zip entry '" + e.name() + "' has no local header where the central directory says");
        }
        long dataStart = local.dataStart(e.localOffset());
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
