package org.offlinecommons.pack;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEightByteInteger;
import org.apache.commons.compress.archivers.zip.ZipLong;
import org.apache.commons.compress.archivers.zip.ZipShort;

/**
 * The zip's structure, read with plain file reads before the zip library parses it: where
 * the central directory is and how many entries it holds (so a zip with millions of them is
 * refused before they are loaded), and, once the entries are known, whether each local
 * header agrees with the central directory and whether entries' data overlap.
 */
final class ZipLayout {
    // Signatures: Commons Compress's public ones where it has them; it keeps the end records'
    // signatures package-private, so those are spelled out here, once.
    static final long LOCAL_SIG = ZipLong.LFH_SIG.getValue();
    static final long CENTRAL_SIG = ZipLong.CFH_SIG.getValue();
    static final long DESCRIPTOR_SIG = ZipLong.DD_SIG.getValue();
    static final long EOCD_SIG = 0x06054b50L;
    static final long ZIP64_EOCD_SIG = 0x06064b50L;
    static final long ZIP64_LOCATOR_SIG = 0x07064b50L;
    static final int LOCAL_HEADER_SIZE = 30;
    static final int CENTRAL_HEADER_SIZE = 46;
    /** The value of a 32-bit size or offset whose real value is in the zip64 extra field. */
    static final long ZIP64_MAGIC = 0xFFFFFFFFL;
    static final int ZIP64_EXTRA = 0x0001;
    /**
     * General purpose bits that change how an entry is read or named: encryption, data
     * descriptor, strong encryption, UTF-8 names, masked headers.
     */
    static final int MEANINGFUL_FLAGS = 1 | 8 | 64 | 2048 | 8192;
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xFFFF;

    private final Path file;
    private final String name;
    private final long centralStart;
    private final long centralSize;
    private final long entryCount;

    private ZipLayout(Path file, String name, long centralStart, long centralSize, long entryCount) {
        this.file = file;
        this.name = name;
        this.centralStart = centralStart;
        this.centralSize = centralSize;
        this.entryCount = entryCount;
    }

    long centralStart() {
        return centralStart;
    }

    long centralSize() {
        return centralSize;
    }

    long entryCount() {
        return entryCount;
    }

    /** {@code smallLimit}: the format-1 limit, named when a miscounting end record hides a count above it. */
    static ZipLayout read(Path file, String name, long maxEntries, long smallLimit) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw PackException.invalid(name + ": is not a readable zip file: it is empty");
            }
            byte[] head = new byte[(int) Math.min(4, size)];
            readFully(ch, ByteBuffer.wrap(head), 0);
            boolean looksLikeZip = head.length == 4
                    && (ZipLong.getValue(head, 0) == LOCAL_SIG || ZipLong.getValue(head, 0) == EOCD_SIG);
            int tailLength = (int) Math.min(size, EOCD_SIZE + MAX_COMMENT);
            byte[] tail = new byte[tailLength];
            readFully(ch, ByteBuffer.wrap(tail), size - tailLength);
            // The last signature, as zip libraries find it; one whose comment does not end the
            // file could make tools disagree about where the zip's table of contents is.
            int eocd = -1;
            for (int i = tailLength - EOCD_SIZE; i >= 0; i--) {
                if (ZipLong.getValue(tail, i) == EOCD_SIG) {
                    eocd = i;
                    break;
                }
            }
            if (eocd >= 0 && eocd + EOCD_SIZE + ZipShort.getValue(tail, eocd + 20) != tailLength) {
                throw damaged(name, "it is truncated or damaged (its end record does not fit the file)");
            }
            if (eocd < 0) {
                throw PackException.invalid(name + ": is not a readable zip file: " + (looksLikeZip
                        ? "it is truncated (the end of the zip, its table of contents, is missing;"
                                + " was the copy interrupted?)"
                        : "it is not a zip at all"));
            }
            long eocdOffset = size - tailLength + eocd;
            int disk = ZipShort.getValue(tail, eocd + 4);
            int centralDisk = ZipShort.getValue(tail, eocd + 6);
            long entries = ZipShort.getValue(tail, eocd + 10);
            long centralSize = ZipLong.getValue(tail, eocd + 12);
            long centralOffset = ZipLong.getValue(tail, eocd + 16);
            long centralEnd = eocdOffset;
            if (eocdOffset >= 20) {
                byte[] locator = new byte[20];
                readFully(ch, ByteBuffer.wrap(locator), eocdOffset - 20);
                if (ZipLong.getValue(locator, 0) == ZIP64_LOCATOR_SIG) {
                    long zip64Offset = ZipEightByteInteger.getLongValue(locator, 8);
                    if (zip64Offset < 0 || zip64Offset + 56 > eocdOffset - 20) {
                        throw damaged(name, "its zip64 end record lies outside the file");
                    }
                    byte[] z = new byte[56];
                    readFully(ch, ByteBuffer.wrap(z), zip64Offset);
                    if (ZipLong.getValue(z, 0) != ZIP64_EOCD_SIG) {
                        throw damaged(name, "its zip64 end record is missing");
                    }
                    disk = (int) (ZipLong.getValue(z, 16));
                    centralDisk = (int) (ZipLong.getValue(z, 20));
                    entries = ZipEightByteInteger.getLongValue(z, 32);
                    centralSize = ZipEightByteInteger.getLongValue(z, 40);
                    centralOffset = ZipEightByteInteger.getLongValue(z, 48);
                    centralEnd = zip64Offset;
                }
            }
            if (disk != 0 || centralDisk != 0) {
                throw PackException.invalid(name + ": is split over several disks; packs must be one zip file");
            }
            if (entries < 0 || entries > maxEntries) {
                throw PackException.invalid(name + ": has more than " + maxEntries + " entries");
            }
            if (centralOffset < 0 || centralSize < 0 || centralOffset + centralSize != centralEnd) {
                throw damaged(name, "its table of contents (central directory) is not where the zip says;"
                        + " the file may be truncated or have data added");
            }
            countCentralEntries(ch, name, maxEntries, smallLimit, centralOffset, centralSize, entries);
            return new ZipLayout(file, name, centralOffset, centralSize, entries);
        }
    }

    /**
     * Walks the central directory's records without keeping them, so that the number of
     * entries is known whatever the end record claims.
     */
    private static void countCentralEntries(FileChannel ch, String name, long maxEntries, long smallLimit,
                                            long offset, long length, long declared) throws IOException {
        InputStream in = new BufferedInputStream(Channels.newInputStream(ch.position(offset)), 1 << 16);
        byte[] header = new byte[46];
        long pos = 0;
        long count = 0;
        while (pos < length) {
            if (length - pos < header.length) {
                throw damaged(name, "its table of contents (central directory) ends in the middle of an entry");
            }
            if (in.readNBytes(header, 0, header.length) != header.length) {
                throw damaged(name, "its table of contents (central directory) is cut short");
            }
            CentralHeader record = CentralHeader.parse(header);
            if (record == null) {
                throw damaged(name, "its table of contents (central directory) holds something that is not"
                        + " an entry");
            }
            long variable = record.variableLength();
            in.skipNBytes(Math.min(variable, length - pos - header.length));
            pos += header.length + variable;
            if (++count > maxEntries) {
                throw PackException.invalid(name + ": has more than " + maxEntries + " entries");
            }
        }
        if (pos == length && count != declared && count > smallLimit) {
            throw PackException.invalid(name + ": has more than " + smallLimit + " entries (and its end record"
                    + " says " + declared + ")");
        }
        if (pos != length || count != declared) {
            throw damaged(name, "its table of contents (central directory) holds " + count
                    + " entries but the zip's end record says " + declared);
        }
    }

    /** A central directory record's fixed part. */
    record CentralHeader(int madeBy, int flags, int method, long crc, long compressedSize, long size,
                         int nameLength, int extraLength, int commentLength, long externalAttributes,
                         long localOffset) {
        /** The record at the start of {@code h}, or null if no central directory signature is there. */
        static CentralHeader parse(byte[] h) {
            if (h.length < CENTRAL_HEADER_SIZE || ZipLong.getValue(h, 0) != CENTRAL_SIG) {
                return null;
            }
            return new CentralHeader(ZipShort.getValue(h, 4), ZipShort.getValue(h, 8), ZipShort.getValue(h, 10),
                    ZipLong.getValue(h, 16), ZipLong.getValue(h, 20), ZipLong.getValue(h, 24),
                    ZipShort.getValue(h, 28), ZipShort.getValue(h, 30), ZipShort.getValue(h, 32),
                    ZipLong.getValue(h, 38), ZipLong.getValue(h, 42));
        }

        /** The name, extra field and comment that follow the fixed part. */
        long variableLength() {
            return (long) nameLength + extraLength + commentLength;
        }

        /**
         * The sizes and offset, with the zip64 extra field's values in place of the 32-bit
         * fields that say they are there (in the order the zip specification gives).
         */
        CentralHeader withZip64(byte[] extra) {
            long realSize = size;
            long realCompressed = compressedSize;
            long realOffset = localOffset;
            int pos = 0;
            while (pos + 4 <= extra.length) {
                int id = ZipShort.getValue(extra, pos);
                int len = ZipShort.getValue(extra, pos + 2);
                int end = pos + 4 + len;
                if (end > extra.length) {
                    break;
                }
                if (id == ZIP64_EXTRA) {
                    int at = pos + 4;
                    if (realSize == ZIP64_MAGIC && at + 8 <= end) {
                        realSize = ZipEightByteInteger.getLongValue(extra, at);
                        at += 8;
                    }
                    if (realCompressed == ZIP64_MAGIC && at + 8 <= end) {
                        realCompressed = ZipEightByteInteger.getLongValue(extra, at);
                        at += 8;
                    }
                    if (realOffset == ZIP64_MAGIC && at + 8 <= end) {
                        realOffset = ZipEightByteInteger.getLongValue(extra, at);
                    }
                }
                pos = end;
            }
            return new CentralHeader(madeBy, flags, method, crc, realCompressed, realSize, nameLength,
                    extraLength, commentLength, externalAttributes, realOffset);
        }
    }

    /** What an entry's central directory record says, to hold its local header against. */
    record CentralFields(String name, byte[] rawName, int flags, int method, long crc, long compressedSize,
                         long size, long localOffset) {
        static CentralFields of(ZipArchiveEntry e) {
            return new CentralFields(e.getName(), e.getRawName(), e.getRawFlag(), e.getMethod(), e.getCrc(),
                    e.getCompressedSize(), e.getSize(), e.getLocalHeaderOffset());
        }
    }

    /** A local file header: its fixed part, name and extra field. */
    record LocalHeader(int flags, int method, long crc, long compressedSize, long size, byte[] rawName,
                       byte[] extra) {
        long dataStart(long offset) {
            return offset + LOCAL_HEADER_SIZE + rawName.length + extra.length;
        }

        /** The header at {@code offset}, or null if no local header signature is there. */
        static LocalHeader read(FileChannel ch, long offset) throws IOException {
            byte[] h = new byte[LOCAL_HEADER_SIZE];
            readFully(ch, ByteBuffer.wrap(h), offset);
            if (ZipLong.getValue(h, 0) != LOCAL_SIG) {
                return null;
            }
            int nameLength = ZipShort.getValue(h, 26);
            int extraLength = ZipShort.getValue(h, 28);
            byte[] variable = new byte[nameLength + extraLength];
            readFully(ch, ByteBuffer.wrap(variable), offset + LOCAL_HEADER_SIZE);
            return new LocalHeader(ZipShort.getValue(h, 6), ZipShort.getValue(h, 8), ZipLong.getValue(h, 14),
                    ZipLong.getValue(h, 18), ZipLong.getValue(h, 22), Arrays.copyOfRange(variable, 0, nameLength),
                    Arrays.copyOfRange(variable, nameLength, variable.length));
        }
    }

    /**
     * Compares each entry's local header with its central directory record, and checks that
     * entries' data neither overlap (a zip bomb trick: many entries inflating the same bytes)
     * nor run into the central directory.
     */
    void checkLocalHeaders(List<ZipArchiveEntry> entries) throws IOException {
        List<ZipArchiveEntry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(ZipArchiveEntry::getLocalHeaderOffset));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long previousEnd = 0;
            String previousName = null;
            for (ZipArchiveEntry e : byOffset) {
                if (e.getLocalHeaderOffset() < previousEnd) {
                    throw PackException.invalid(where(e.getName()) + " overlaps the data of zip entry '"
                            + previousName + "' (a zip bomb trick?)");
                }
                previousEnd = checkLocalHeader(ch, CentralFields.of(e));
                previousName = e.getName();
            }
        }
    }

    /**
     * Checks an entry's local header against its central directory record, and that its data
     * lie before the central directory. Returns where its data end.
     */
    long checkLocalHeader(FileChannel ch, CentralFields e) throws IOException {
        String where = where(e.name());
        long offset = e.localOffset();
        if (offset < 0 || offset + LOCAL_HEADER_SIZE > centralStart) {
            throw PackException.invalid(where + " points outside the zip's data (the zip is damaged)");
        }
        LocalHeader local = LocalHeader.read(ch, offset);
        if (local == null) {
            throw PackException.invalid(where + " has no local header where the zip's central directory"
                    + " says (the zip is damaged)");
        }
        long dataStart = local.dataStart(offset);
        if (dataStart > centralStart) {
            throw PackException.invalid(where + " points outside the zip's data (the zip is damaged)");
        }
        if (!Arrays.equals(local.rawName(), e.rawName())) {
            throw disagree(where, "is named '" + new String(local.rawName(), StandardCharsets.UTF_8)
                    + "' in its local header");
        }
        if (local.method() != e.method()) {
            throw disagree(where, "uses compression method " + local.method() + " in its local header but "
                    + e.method() + " in the central directory");
        }
        if ((local.flags() & MEANINGFUL_FLAGS) != (e.flags() & MEANINGFUL_FLAGS)) {
            throw disagree(where, "has flags " + Integer.toHexString(local.flags()) + " in its local header but "
                    + Integer.toHexString(e.flags()) + " in the central directory");
        }
        boolean sizesFollowData = (local.flags() & 8) != 0;
        if (!sizesFollowData) {
            long size = local.size();
            long compressed = local.compressedSize();
            if (compressed == ZIP64_MAGIC || size == ZIP64_MAGIC) {
                long[] zip64 = zip64Sizes(local.extra());
                if (zip64 == null) {
                    throw disagree(where, "lacks the zip64 sizes its local header refers to");
                }
                size = size == ZIP64_MAGIC ? zip64[0] : size;
                compressed = compressed == ZIP64_MAGIC ? zip64[1] : compressed;
            }
            if (size != e.size() || compressed != e.compressedSize()) {
                throw disagree(where, "declares " + size + " bytes (" + compressed
                        + " in the zip) in its local header but " + e.size() + " bytes ("
                        + e.compressedSize() + " in the zip) in the central directory");
            }
            if (local.crc() != e.crc()) {
                throw disagree(where, "has a different CRC-32 in its local header");
            }
        }
        long dataEnd = dataStart + e.compressedSize();
        if (dataEnd > centralStart) {
            throw PackException.invalid(where + " runs past the end of the zip's data (the zip is"
                    + " truncated or damaged)");
        }
        return dataEnd;
    }

    private String where(String entryName) {
        return name + ": zip entry '" + entryName + "'";
    }

    /** The uncompressed and compressed sizes from a local header's zip64 extra field, or null. */
    static long[] zip64Sizes(byte[] extra) {
        int pos = 0;
        while (pos + 4 <= extra.length) {
            int id = ZipShort.getValue(extra, pos);
            int size = ZipShort.getValue(extra, pos + 2);
            if (id == ZIP64_EXTRA && size >= 16 && pos + 4 + size <= extra.length) {
                return new long[] {ZipEightByteInteger.getLongValue(extra, pos + 4),
                        ZipEightByteInteger.getLongValue(extra, pos + 12)};
            }
            pos += 4 + size;
        }
        return null;
    }

    private static PackException disagree(String where, String what) {
        return PackException.invalid(where + " " + what + "; the zip's central directory and local headers"
                + " disagree, so other tools would see different files");
    }

    private static PackException damaged(String name, String what) {
        return PackException.invalid(name + ": is not a readable zip file: " + what);
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new EOFException("unexpected end of file");
            }
            pos += n;
        }
    }
}
