package org.offlinecommons.pack;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * A pack zip opened for reading, checked against its manifest before any byte is stored.
 *
 * <p>The zip is read through its central directory (never the streaming reader, which trusts
 * local headers and can be fooled into reading different content). Every entry name, size,
 * method and ratio is checked up front, so that a hostile zip is refused cheaply; then every
 * local header is compared with its central directory entry, because other tools (unzip, a
 * browser's download view, a teacher's laptop) read the local headers, and a pack must not
 * show them different files from the ones checked here.
 */
public final class PackArchive implements AutoCloseable {

    /** A format-2 pack.json is metadata only: read before anything else, so it stays small. */
    public static final int MAX_STREAMED_MANIFEST_BYTES = 1 << 20;

    private final Path file;
    private final ZipFile zip;
    private final PackManifest manifest;
    private final byte[] manifestBytes;
    private final Map<String, ZipArchiveEntry> entries;
    /** Format 2: the zip read record by record (zip and entries are null). */
    private final StreamedZip streamed;
    private final PackLimits limits;

    private PackArchive(Path file, ZipFile zip, PackManifest manifest, byte[] manifestBytes,
                        Map<String, ZipArchiveEntry> entries) {
        this.file = file;
        this.zip = zip;
        this.manifest = manifest;
        this.manifestBytes = manifestBytes;
        this.entries = entries;
        this.streamed = null;
        this.limits = null;
    }

    private PackArchive(Path file, StreamedZip streamed, PackManifest manifest, byte[] manifestBytes,
                        PackLimits limits) {
        this.file = file;
        this.zip = null;
        this.manifest = manifest;
        this.manifestBytes = manifestBytes;
        this.entries = null;
        this.streamed = streamed;
        this.limits = limits;
    }

    /** Receives a format-2 pack's files in order, each with a way to read its content. */
    @FunctionalInterface
    public interface FileVisitor {
        void visit(FileList.Entry file, Content content) throws IOException;
    }

    /** Opens a file's checked content (see {@link #open}). */
    @FunctionalInterface
    public interface Content {
        InputStream open() throws IOException;
    }

    public static PackArchive open(Path file) {
        return open(file, PackLimits.DEFAULT);
    }

    /** Opens and checks {@code file}; refuses it with a message naming the file and the entry. */
    public static PackArchive open(Path file, PackLimits limits) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            throw new PackException(PackException.Reason.NOT_FOUND, name + ": no such file");
        }
        Layout layout;
        try {
            layout = Layout.read(file, name, Math.max(limits.maxEntries(), limits.maxStreamedFiles() + 2),
                    limits.maxEntries());
            PackArchive streamed = openStreamed(file, name, layout, limits);
            if (streamed != null) {
                return streamed;
            }
        } catch (NoSuchFileException e) {
            throw new PackException(PackException.Reason.NOT_FOUND, name + ": no such file");
        } catch (IOException e) {
            throw new PackException(PackException.Reason.IO, name + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (layout.entryCount() > limits.maxEntries()) {
            throw PackException.invalid(name + ": has more than " + limits.maxEntries() + " entries");
        }
        ZipFile zip;
        try {
            // Local headers are compared with the central directory below, by this class;
            // the zip library must not merge their fields into the entries meanwhile.
            zip = ZipFile.builder().setPath(file).setUseUnicodeExtraFields(true).setIgnoreLocalFileHeader(true).get();
        } catch (NoSuchFileException e) {
            throw new PackException(PackException.Reason.NOT_FOUND, name + ": no such file");
        } catch (IOException | RuntimeException e) {
            // A hostile zip can trip the zip library in ways it does not declare.
            throw PackException.invalid(name + ": is not a readable zip file (" + e.getMessage() + ")");
        }
        try {
            return check(file, name, zip, limits, layout);
        } catch (PackException e) {
            closeQuietly(zip);
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw PackException.invalid(name + ": is not a readable zip file (" + e + ")");
        }
    }

    private static PackArchive check(Path file, String name, ZipFile zip, PackLimits limits, Layout layout) {
        Map<String, ZipArchiveEntry> byName = new HashMap<>();
        List<ZipArchiveEntry> all = new ArrayList<>();
        int count = 0;
        long declaredTotal = 0;
        for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
            String entryName = e.getName();
            String where = name + ": zip entry '" + entryName + "'";
            if (++count > limits.maxEntries()) {
                throw PackException.invalid(name + ": has more than " + limits.maxEntries() + " entries");
            }
            if (byName.containsKey(entryName) || (e.isDirectory() && byName.containsKey(stripSlash(entryName)))
                    || (!e.isDirectory() && byName.containsKey(entryName + "/"))) {
                throw PackException.invalid(where + " appears twice");
            }
            if (e.isUnixSymlink()) {
                throw PackException.invalid(where + " is a symbolic link; packs may only hold plain files");
            }
            if (e.getGeneralPurposeBit().usesEncryption() || e.getGeneralPurposeBit().usesStrongEncryption()) {
                throw PackException.invalid(where + " is encrypted; packs must not be encrypted");
            }
            String problem = nameProblem(e);
            if (problem != null) {
                throw PackException.invalid(where + ": " + problem);
            }
            byName.put(entryName, e);
            all.add(e);
            if (e.isDirectory()) {
                continue;
            }
            int method = e.getMethod();
            if (method != ZipMethod.STORED.getCode() && method != ZipMethod.DEFLATED.getCode()) {
                ZipMethod m = ZipMethod.getMethodByCode(method);
                throw PackException.invalid(where + " uses compression method " + (m == null ? method : m)
                        + "; only stored and deflate are allowed");
            }
            if (!zip.canReadEntryData(e)) {
                throw PackException.invalid(where + " cannot be read (unsupported zip feature)");
            }
            long size = e.getSize();
            if (size < 0 || e.getCompressedSize() < 0) {
                throw PackException.invalid(where + " does not declare its size");
            }
            if (method == ZipMethod.STORED.getCode() && e.getCompressedSize() != size) {
                throw PackException.invalid(where + " is stored uncompressed but declares " + e.getCompressedSize()
                        + " bytes in the zip and " + size + " bytes unpacked");
            }
            if (size > limits.maxFileBytes()) {
                throw PackException.invalid(where + " declares " + size + " bytes unpacked, more than the limit of "
                        + limits.maxFileBytes() + " bytes (a zip bomb?)");
            }
            if (!limits.ratioAllowed(e.getCompressedSize(), size)) {
                throw PackException.invalid(where + " claims a compression ratio over " + limits.maxRatio()
                        + ":1 (a zip bomb?)");
            }
            declaredTotal += size;
            if (declaredTotal > limits.maxTotalBytes()) {
                throw PackException.invalid(name + ": unpacks to more than the limit of " + limits.maxTotalBytes()
                        + " bytes (a zip bomb?)");
            }
        }
        try {
            layout.checkLocalHeaders(all);
        } catch (IOException e) {
            throw new PackException(PackException.Reason.IO, name + ": cannot be read (" + e.getMessage() + ")", e);
        }
        ZipArchiveEntry manifestEntry = byName.get(PackManifest.FILE_NAME);
        if (manifestEntry == null || manifestEntry.isDirectory()) {
            throw PackException.invalid(name + ": pack.json is missing at the root of the zip");
        }
        if (manifestEntry.getSize() > ManifestCodec.MAX_BYTES) {
            throw PackException.invalid(name + ": pack.json is larger than 16 MB");
        }
        byte[] manifestBytes;
        try (InputStream in = zip.getInputStream(manifestEntry)) {
            manifestBytes = readExactly(in, manifestEntry.getSize(), name + ": pack.json");
        } catch (IOException e) {
            throw PackException.invalid(name + ": pack.json cannot be read (" + e.getMessage() + ")");
        }
        CRC32 crc = new CRC32();
        crc.update(manifestBytes);
        if (crc.getValue() != manifestEntry.getCrc()) {
            throw PackException.invalid(name + ": zip entry 'pack.json' is damaged (its CRC-32 does not match)");
        }
        PackManifest manifest = ManifestCodec.parse(manifestBytes, name + ": pack.json");
        if (manifest.streamed()) {
            throw PackException.invalid(name + ": pack.json says format 2, whose pack.json (at most 1 MB) must be the"
                    + " zip's first entry and " + FileList.ENTRY_NAME + " its second");
        }

        Set<String> listed = new HashSet<>();
        for (PackManifest.FileEntry f : manifest.files()) {
            listed.add(f.path());
            ZipArchiveEntry e = byName.get(f.path());
            if (e == null || e.isDirectory()) {
                throw PackException.invalid(name + ": '" + f.path() + "' is listed in pack.json but missing from the zip");
            }
            if (e.getSize() != f.size()) {
                throw PackException.invalid(name + ": zip entry '" + f.path() + "' has " + e.getSize()
                        + " bytes but pack.json says " + f.size());
            }
        }
        List<String> unlisted = new ArrayList<>();
        for (ZipArchiveEntry e : byName.values()) {
            if (!e.isDirectory() && !e.getName().equals(PackManifest.FILE_NAME) && !listed.contains(e.getName())) {
                unlisted.add(e.getName());
            }
        }
        if (!unlisted.isEmpty()) {
            Collections.sort(unlisted);
            throw PackException.invalid(name + ": zip entry '" + unlisted.get(0) + "' is not listed in pack.json"
                    + (unlisted.size() > 1 ? " (and " + (unlisted.size() - 1) + " more)" : ""));
        }
        return new PackArchive(file, zip, manifest, manifestBytes, byName);
    }

    /**
     * Opens a format-2 pack (pack.json first, saying format 2) and checks all of it, streamed:
     * null when the zip is no format-2 pack, for the format-1 reader.
     */
    private static PackArchive openStreamed(Path file, String name, Layout layout, PackLimits limits)
            throws IOException {
        StreamedZip zip = new StreamedZip(file, name, layout);
        boolean ok = false;
        try {
            StreamedZip.Entry first;
            try {
                first = zip.entries().next();
            } catch (PackException e) {
                return null;
            }
            if (first == null || !first.name().equals(PackManifest.FILE_NAME)
                    || first.size() > MAX_STREAMED_MANIFEST_BYTES) {
                return null;
            }
            byte[] bytes;
            try {
                checkStreamedEntry(first, name, limits);
                try (InputStream in = zip.open(first)) {
                    bytes = in.readNBytes((int) first.size() + 1);
                }
            } catch (PackException | IOException e) {
                return null; // not readable as format 2: the format-1 reader says why, in its order
            }
            if (bytes.length != first.size()) {
                return null;
            }
            PackManifest manifest;
            try {
                manifest = ManifestCodec.parse(bytes, name + ": pack.json");
            } catch (PackException e) {
                return null; // the format-1 reader checks every entry first, then says what is wrong here
            }
            if (!manifest.streamed()) {
                return null;
            }
            if (manifest.fileCount() > limits.maxStreamedFiles()) {
                throw PackException.invalid(name + ": pack.json counts " + manifest.fileCount() + " files, more than"
                        + " the limit of " + limits.maxStreamedFiles());
            }
            PackArchive archive = new PackArchive(file, zip, manifest, bytes, limits);
            archive.walk(null);
            ok = true;
            return archive;
        } catch (RuntimeException e) {
            if (e instanceof PackException) {
                throw e;
            }
            throw PackException.invalid(name + ": is not a readable zip file (" + e + ")");
        } finally {
            if (!ok) {
                zip.close();
            }
        }
    }

    private static void checkStreamedEntry(StreamedZip.Entry e, String name, PackLimits limits) {
        String where = name + ": zip entry '" + e.name() + "'";
        if (e.directory()) {
            throw PackException.invalid(where + " is a folder; a format-2 pack holds files only");
        }
        if (e.symlink()) {
            throw PackException.invalid(where + " is a symbolic link; packs may only hold plain files");
        }
        if ((e.flags() & (1 | 64)) != 0) {
            throw PackException.invalid(where + " is encrypted; packs must not be encrypted");
        }
        if (e.unicodeExtra()) {
            throw PackException.invalid(where + " carries a second name (a Unicode path field); format 2 names"
                    + " entries in UTF-8 only");
        }
        String problem = PackPath.problem(e.name());
        if (problem == null && e.name().indexOf('\\') >= 0) {
            problem = "the path contains a backslash";
        }
        if (problem != null) {
            throw PackException.invalid(where + ": " + problem);
        }
        if (e.method() != ZipMethod.STORED.getCode() && e.method() != ZipMethod.DEFLATED.getCode()) {
            throw PackException.invalid(where + " uses compression method " + e.method()
                    + "; only stored and deflate are allowed");
        }
        if (e.method() == ZipMethod.STORED.getCode() && e.compressedSize() != e.size()) {
            throw PackException.invalid(where + " is stored uncompressed but declares " + e.compressedSize()
                    + " bytes in the zip and " + e.size() + " bytes unpacked");
        }
        if (e.size() > limits.maxFileBytes()) {
            throw PackException.invalid(where + " declares " + e.size() + " bytes unpacked, more than the limit of "
                    + limits.maxFileBytes() + " bytes (a zip bomb?)");
        }
        if (!limits.ratioAllowed(e.compressedSize(), e.size())) {
            throw PackException.invalid(where + " claims a compression ratio over " + limits.maxRatio()
                    + ":1 (a zip bomb?)");
        }
    }

    /**
     * Format 2: walks the central directory and the file list side by side, both in path order,
     * checking every entry as it goes (names, sizes, local headers, order, nothing unlisted,
     * nothing missing); hands each file to {@code visitor} (null: only check). Constant memory.
     */
    private void walk(FileVisitor visitor) throws IOException {
        String name = fileName();
        StreamedZip.Cursor cd = streamed.entries();
        StreamedZip.Entry first = cd.next();
        long previousEnd = streamed.checkLocal(first, 0);
        StreamedZip.Entry list = cd.next();
        if (list == null || !list.name().equals(FileList.ENTRY_NAME)) {
            throw PackException.invalid(name + ": " + FileList.ENTRY_NAME + " is missing: a format-2 pack lists its"
                    + " files there, in the zip's second entry");
        }
        checkStreamedEntry(list, name, limits);
        previousEnd = streamed.checkLocal(list, previousEnd);
        long total = 0;
        boolean entrySeen = manifest.entry() == null;
        try (InputStream listBytes = new BufferedInputStream(streamed.open(list), 1 << 16)) {
            FileList.Reader lines = new FileList.Reader(listBytes, name + ": " + FileList.ENTRY_NAME,
                    manifest.fileList());
            // One record and one line read ahead of the merge, so that an order problem on
            // either side is named as such before it shows up as a mismatch.
            StreamedZip.Entry e = cd.next();
            FileList.Entry f = lines.next();
            while (e != null) {
                String where = name + ": zip entry '" + e.name() + "'";
                checkStreamedEntry(e, name, limits);
                StreamedZip.Entry nextRecord = cd.next();
                if (nextRecord != null && FileList.compare(e.name(), nextRecord.name()) >= 0) {
                    throw PackException.invalid(name + ": zip entry '" + nextRecord.name() + "'"
                            + (e.name().equals(nextRecord.name()) ? " appears twice" : " comes after '" + e.name()
                            + "'; a format-2 pack's entries are in path order"));
                }
                FileList.Entry nextLine = f == null ? null : lines.next();
                previousEnd = streamed.checkLocal(e, previousEnd);
                if (f == null || FileList.compare(f.path(), e.name()) > 0) {
                    throw PackException.invalid(where + " is not listed in " + FileList.ENTRY_NAME);
                }
                if (!f.path().equals(e.name())) {
                    throw PackException.invalid(name + ": '" + f.path() + "' is listed in " + FileList.ENTRY_NAME
                            + " but missing from the zip");
                }
                if (f.size() != e.size()) {
                    throw PackException.invalid(where + " has " + e.size() + " bytes but " + FileList.ENTRY_NAME
                            + " says " + f.size());
                }
                total += e.size();
                if (total > limits.maxTotalBytes()) {
                    throw PackException.invalid(name + ": unpacks to more than the limit of " + limits.maxTotalBytes()
                            + " bytes (a zip bomb?)");
                }
                entrySeen |= f.path().equals(manifest.entry());
                if (visitor != null) {
                    StreamedZip.Entry entry = e;
                    visitor.visit(f, () -> streamed.open(entry));
                }
                e = nextRecord;
                f = nextLine;
            }
            if (f != null) {
                throw PackException.invalid(name + ": '" + f.path() + "' is listed in " + FileList.ENTRY_NAME
                        + " but missing from the zip");
            }
        }
        if (!entrySeen) {
            throw PackException.invalid(name + ": pack.json: field 'entry' names '" + manifest.entry()
                    + "', which is not in " + FileList.ENTRY_NAME);
        }
    }

    /**
     * Hands a format-2 pack's files to {@code visitor} in path order, checked again as they are
     * read (the zip may have changed since it was opened).
     */
    public void forEachFile(FileVisitor visitor) throws IOException {
        if (streamed == null) {
            throw new IllegalStateException("forEachFile is for format-2 packs; format 1 lists its files in pack.json");
        }
        walk(visitor);
    }

    /**
     * Checks the name as the central directory spells it, byte for byte, as well as the name
     * the zip library decoded: some tools turn backslashes into folders, others keep them.
     */
    private static String nameProblem(ZipArchiveEntry e) {
        String decoded = e.isDirectory() ? stripSlash(e.getName()) : e.getName();
        String problem = PackPath.problem(decoded);
        if (problem != null) {
            return problem;
        }
        byte[] raw = e.getRawName();
        if (raw != null) {
            String rawName = new String(raw, StandardCharsets.UTF_8);
            if (rawName.indexOf('\\') >= 0) {
                return "the path contains a backslash";
            }
            String rawProblem = PackPath.problem(e.isDirectory() ? stripSlash(rawName) : rawName);
            if (rawProblem != null && !rawName.equals(e.getName())) {
                return rawProblem + " (in the name stored in the zip, '" + rawName + "')";
            }
        }
        return null;
    }

    private static byte[] readExactly(InputStream in, long size, String what) throws IOException {
        byte[] data = in.readNBytes((int) Math.min(size + 1, ManifestCodec.MAX_BYTES + 1L));
        if (data.length != size) {
            throw PackException.invalid(what + " has " + (data.length > size ? "more" : "fewer")
                    + " bytes than its zip entry declares");
        }
        return data;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public Path file() {
        return file;
    }

    public String fileName() {
        return file.getFileName().toString();
    }

    public PackManifest manifest() {
        return manifest;
    }

    /** pack.json exactly as it is in the zip. */
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    /**
     * The content of a listed file. The stream stops one byte past the declared size, so that a
     * caller reading to the end can tell an entry that inflates to more than it declared; read
     * to its end, it fails if the bytes do not match the entry's CRC-32.
     */
    public InputStream open(PackManifest.FileEntry file) throws IOException {
        if (streamed != null) {
            throw new IllegalStateException("format-2 files are read in order, by forEachFile");
        }
        ZipArchiveEntry e = entries.get(file.path());
        if (e == null) {
            throw new PackException(PackException.Reason.NOT_FOUND, fileName() + ": no entry '" + file.path() + "'");
        }
        InputStream checked = new CrcCheckingInputStream(zip.getInputStream(e), e.getCrc());
        return BoundedInputStream.builder().setInputStream(checked).setMaxCount(file.size() + 1).get();
    }

    @Override
    public void close() {
        if (streamed != null) {
            try {
                streamed.close();
            } catch (IOException ignored) {
                // Only read from; nothing to lose.
            }
            return;
        }
        closeQuietly(zip);
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // Only read from; nothing to lose.
        }
    }

    /** Fails at the end of the stream when the bytes read do not have the expected CRC-32. */
    static final class CrcCheckingInputStream extends FilterInputStream {
        private final CRC32 crc = new CRC32();
        private final long expected;

        CrcCheckingInputStream(InputStream in, long expected) {
            super(in);
            this.expected = expected;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                atEnd();
            } else {
                crc.update(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n < 0) {
                atEnd();
            } else {
                crc.update(buf, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipped bytes would escape the CRC, so they are read.
            byte[] buf = new byte[(int) Math.max(0, Math.min(n, 8192))];
            return Math.max(0, read(buf, 0, buf.length));
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void atEnd() throws IOException {
            if (crc.getValue() != expected) {
                throw new IOException("its CRC-32 does not match; the zip is damaged");
            }
        }
    }

    /**
     * The zip's structure, read with plain file reads before the zip library parses it: where
     * the central directory is and how many entries it holds (so a zip with millions of them is
     * refused before they are loaded), and, once the entries are known, whether each local
     * header agrees with the central directory and whether entries' data overlap.
     */
    static final class Layout {
        private static final int EOCD_SIG = 0x06054b50;
        private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
        private static final int ZIP64_EOCD_SIG = 0x06064b50;
        private static final int CENTRAL_SIG = 0x02014b50;
        private static final int LOCAL_SIG = 0x04034b50;
        private static final int EOCD_SIZE = 22;
        private static final int MAX_COMMENT = 0xFFFF;
        private static final long MASK32 = 0xFFFFFFFFL;
        /** General purpose bits that change how an entry is read or named: encryption, data descriptor, strong encryption, UTF-8 names, masked headers. */
        private static final int MEANINGFUL_FLAGS = 1 | 8 | 64 | 2048 | 8192;

        private final Path file;
        private final String name;
        private final long centralStart;
        private final long centralSize;
        private final long entryCount;

        private Layout(Path file, String name, long centralStart, long centralSize, long entryCount) {
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
        static Layout read(Path file, String name, long maxEntries, long smallLimit) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size == 0) {
                    throw PackException.invalid(name + ": is not a readable zip file: it is empty");
                }
                byte[] head = new byte[(int) Math.min(4, size)];
                readFully(ch, ByteBuffer.wrap(head), 0);
                boolean looksLikeZip = head.length == 4 && (le32(head, 0) == LOCAL_SIG || le32(head, 0) == EOCD_SIG);
                int tailLength = (int) Math.min(size, EOCD_SIZE + MAX_COMMENT);
                byte[] tail = new byte[tailLength];
                readFully(ch, ByteBuffer.wrap(tail), size - tailLength);
                // The last signature, as zip libraries find it; one whose comment does not end the
                // file could make tools disagree about where the zip's table of contents is.
                int eocd = -1;
                for (int i = tailLength - EOCD_SIZE; i >= 0; i--) {
                    if (le32(tail, i) == EOCD_SIG) {
                        eocd = i;
                        break;
                    }
                }
                if (eocd >= 0 && eocd + EOCD_SIZE + le16(tail, eocd + 20) != tailLength) {
                    throw damaged(name, "it is truncated or damaged (its end record does not fit the file)");
                }
                if (eocd < 0) {
                    throw PackException.invalid(name + ": is not a readable zip file: " + (looksLikeZip
                            ? "it is truncated (the end of the zip, its table of contents, is missing;"
                                    + " was the copy interrupted?)"
                            : "it is not a zip at all"));
                }
                long eocdOffset = size - tailLength + eocd;
                int disk = le16(tail, eocd + 4);
                int centralDisk = le16(tail, eocd + 6);
                long entries = le16(tail, eocd + 10);
                long centralSize = le32(tail, eocd + 12) & MASK32;
                long centralOffset = le32(tail, eocd + 16) & MASK32;
                long centralEnd = eocdOffset;
                if (eocdOffset >= 20) {
                    byte[] locator = new byte[20];
                    readFully(ch, ByteBuffer.wrap(locator), eocdOffset - 20);
                    if (le32(locator, 0) == ZIP64_LOCATOR_SIG) {
                        long zip64Offset = le64(locator, 8);
                        if (zip64Offset < 0 || zip64Offset + 56 > eocdOffset - 20) {
                            throw damaged(name, "its zip64 end record lies outside the file");
                        }
                        byte[] z = new byte[56];
                        readFully(ch, ByteBuffer.wrap(z), zip64Offset);
                        if (le32(z, 0) != ZIP64_EOCD_SIG) {
                            throw damaged(name, "its zip64 end record is missing");
                        }
                        disk = (int) (le32(z, 16) & MASK32);
                        centralDisk = (int) (le32(z, 20) & MASK32);
                        entries = le64(z, 32);
                        centralSize = le64(z, 40);
                        centralOffset = le64(z, 48);
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
                return new Layout(file, name, centralOffset, centralSize, entries);
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
                if (le32(header, 0) != CENTRAL_SIG) {
                    throw damaged(name, "its table of contents (central directory) holds something that is not"
                            + " an entry");
                }
                long variable = (long) le16(header, 28) + le16(header, 30) + le16(header, 32);
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
                    String where = name + ": zip entry '" + e.getName() + "'";
                    long offset = e.getLocalHeaderOffset();
                    if (offset < previousEnd) {
                        throw PackException.invalid(where + " overlaps the data of zip entry '" + previousName
                                + "' (a zip bomb trick?)");
                    }
                    if (offset < 0 || offset + 30 > centralStart) {
                        throw PackException.invalid(where + " points outside the zip's data (the zip is damaged)");
                    }
                    byte[] h = new byte[30];
                    readFully(ch, ByteBuffer.wrap(h), offset);
                    if (le32(h, 0) != LOCAL_SIG) {
                        throw PackException.invalid(where + " has no local header where the zip's central directory"
                                + " says (the zip is damaged)");
                    }
                    int flags = le16(h, 6);
                    int method = le16(h, 8);
                    long crc = le32(h, 14) & MASK32;
                    long compressed = le32(h, 18) & MASK32;
                    long size = le32(h, 22) & MASK32;
                    int nameLength = le16(h, 26);
                    int extraLength = le16(h, 28);
                    long dataStart = offset + 30 + nameLength + extraLength;
                    if (dataStart > centralStart) {
                        throw PackException.invalid(where + " points outside the zip's data (the zip is damaged)");
                    }
                    byte[] variable = new byte[nameLength + extraLength];
                    readFully(ch, ByteBuffer.wrap(variable), offset + 30);
                    byte[] localName = Arrays.copyOfRange(variable, 0, nameLength);
                    if (!Arrays.equals(localName, e.getRawName())) {
                        throw disagree(where, "is named '" + new String(localName, StandardCharsets.UTF_8)
                                + "' in its local header");
                    }
                    if (method != e.getMethod()) {
                        throw disagree(where, "uses compression method " + method + " in its local header but "
                                + e.getMethod() + " in the central directory");
                    }
                    if ((flags & MEANINGFUL_FLAGS) != (e.getRawFlag() & MEANINGFUL_FLAGS)) {
                        throw disagree(where, "has flags " + Integer.toHexString(flags) + " in its local header but "
                                + Integer.toHexString(e.getRawFlag()) + " in the central directory");
                    }
                    boolean sizesFollowData = (flags & 8) != 0;
                    if (!sizesFollowData) {
                        if (compressed == MASK32 || size == MASK32) {
                            long[] zip64 = zip64Sizes(variable, nameLength, extraLength);
                            if (zip64 == null) {
                                throw disagree(where, "lacks the zip64 sizes its local header refers to");
                            }
                            size = size == MASK32 ? zip64[0] : size;
                            compressed = compressed == MASK32 ? zip64[1] : compressed;
                        }
                        if (size != e.getSize() || compressed != e.getCompressedSize()) {
                            throw disagree(where, "declares " + size + " bytes (" + compressed
                                    + " in the zip) in its local header but " + e.getSize() + " bytes ("
                                    + e.getCompressedSize() + " in the zip) in the central directory");
                        }
                        if (crc != e.getCrc()) {
                            throw disagree(where, "has a different CRC-32 in its local header");
                        }
                    }
                    long dataEnd = dataStart + e.getCompressedSize();
                    if (dataEnd > centralStart) {
                        throw PackException.invalid(where + " runs past the end of the zip's data (the zip is"
                                + " truncated or damaged)");
                    }
                    previousEnd = dataEnd;
                    previousName = e.getName();
                }
            }
        }

        /** The uncompressed and compressed sizes from a local header's zip64 extra field. */
        static long[] zip64Sizes(byte[] variable, int start, int length) {
            int pos = start;
            int end = start + length;
            while (pos + 4 <= end) {
                int id = le16(variable, pos);
                int size = le16(variable, pos + 2);
                if (id == 0x0001 && size >= 16 && pos + 4 + size <= end) {
                    return new long[] {le64(variable, pos + 4), le64(variable, pos + 12)};
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

        static int le16(byte[] b, int i) {
            return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
        }

        static int le32(byte[] b, int i) {
            return ByteBuffer.wrap(b, i, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }

        static long le64(byte[] b, int i) {
            return ByteBuffer.wrap(b, i, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }
    }
}
