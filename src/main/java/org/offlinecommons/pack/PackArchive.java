package org.offlinecommons.pack;

import java.io.IOException;
import java.io.InputStream;
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
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * A pack zip opened for reading, checked against its manifest before any byte is stored.
 *
 * <p>The zip is read through its central directory (never the streaming reader, which trusts
 * local headers and can be fooled into reading different content). Every entry name, size,
 * method and ratio is checked up front, so that a hostile zip is refused cheaply.
 */
public final class PackArchive implements AutoCloseable {

    private final Path file;
    private final ZipFile zip;
    private final PackManifest manifest;
    private final byte[] manifestBytes;
    private final Map<String, ZipArchiveEntry> entries;

    private PackArchive(Path file, ZipFile zip, PackManifest manifest, byte[] manifestBytes,
                        Map<String, ZipArchiveEntry> entries) {
        this.file = file;
        this.zip = zip;
        this.manifest = manifest;
        this.manifestBytes = manifestBytes;
        this.entries = entries;
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
        ZipFile zip;
        try {
            zip = ZipFile.builder().setPath(file).setUseUnicodeExtraFields(true).get();
        } catch (NoSuchFileException e) {
            throw new PackException(PackException.Reason.NOT_FOUND, name + ": no such file");
        } catch (IOException e) {
            throw PackException.invalid(name + ": is not a readable zip file (" + e.getMessage() + ")");
        }
        try {
            return check(file, name, zip, limits);
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    private static PackArchive check(Path file, String name, ZipFile zip, PackLimits limits) {
        Map<String, ZipArchiveEntry> byName = new HashMap<>();
        int count = 0;
        long declaredTotal = 0;
        for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
            String entryName = e.getName();
            String where = name + ": zip entry '" + entryName + "'";
            if (++count > limits.maxEntries()) {
                throw PackException.invalid(name + ": has more than " + limits.maxEntries() + " entries");
            }
            if (byName.containsKey(entryName) || (e.isDirectory() && byName.containsKey(stripSlash(entryName)))) {
                throw PackException.invalid(where + " appears twice");
            }
            if (e.isUnixSymlink()) {
                throw PackException.invalid(where + " is a symbolic link; packs may only hold plain files");
            }
            if (e.getGeneralPurposeBit().usesEncryption() || e.getGeneralPurposeBit().usesStrongEncryption()) {
                throw PackException.invalid(where + " is encrypted; packs must not be encrypted");
            }
            String pathForCheck = e.isDirectory() ? stripSlash(entryName) : entryName;
            String problem = PackPath.problem(pathForCheck);
            if (problem != null) {
                throw PackException.invalid(where + ": " + problem);
            }
            byName.put(entryName, e);
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
            if (size < 0) {
                throw PackException.invalid(where + " does not declare its size");
            }
            if (size > limits.maxFileBytes()) {
                throw PackException.invalid(where + " is larger than the limit of " + limits.maxFileBytes() + " bytes");
            }
            if (!limits.ratioAllowed(e.getCompressedSize(), size)) {
                throw PackException.invalid(where + " claims a compression ratio over " + limits.maxRatio()
                        + ":1 (a zip bomb?)");
            }
            declaredTotal += size;
            if (declaredTotal > limits.maxTotalBytes()) {
                throw PackException.invalid(name + ": unpacks to more than the limit of " + limits.maxTotalBytes()
                        + " bytes");
            }
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
        PackManifest manifest = ManifestCodec.parse(manifestBytes, name + ": pack.json");

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
     * caller reading to the end can tell an entry that inflates to more than it declared.
     */
    public InputStream open(PackManifest.FileEntry file) throws IOException {
        ZipArchiveEntry e = entries.get(file.path());
        if (e == null) {
            throw new PackException(PackException.Reason.NOT_FOUND, fileName() + ": no entry '" + file.path() + "'");
        }
        return BoundedInputStream.builder().setInputStream(zip.getInputStream(e)).setMaxCount(file.size() + 1).get();
    }

    @Override
    public void close() {
        closeQuietly(zip);
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // Only read from; nothing to lose.
        }
    }
}
