package org.offlinecommons.pack;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
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
        ZipLayout layout;
        try {
            layout = ZipLayout.read(file, name, Math.max(limits.maxEntries(), limits.maxStreamedFiles() + 2),
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

    private static PackArchive check(Path file, String name, ZipFile zip, PackLimits limits, ZipLayout layout) {
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
    private static PackArchive openStreamed(Path file, String name, ZipLayout layout, PackLimits limits)
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
}
