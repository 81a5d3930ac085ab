package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;

/**
 * Every way a pack can be bad, each built here from raw bytes: each is refused before anything
 * is stored, with a message naming the file, the zip entry and the problem, and the library
 * (every pack, item and byte) stays exactly as it was.
 */
class BadPackTest {

    /** One library for all cases: each case checks that it left the library as it found it. */
    @TempDir
    static Path shared;
    static Library library;
    static PackImporter importer;
    static String before;

    @TempDir
    Path tmp;

    @BeforeAll
    static void installOnePack() throws IOException {
        library = Library.open(shared.resolve("data"));
        importer = new PackImporter(library);
        importer.importPack(garden(), ProgressListener.NONE);
        before = LibrarySnapshot.of(library);
    }

    @AfterAll
    static void close() {
        library.close();
    }

    private static Path garden() throws IOException {
        Path zip = shared.resolve("garden.zip");
        if (!Files.exists(zip)) {
            PackFixtures.build(PackFixtures.smallSite(shared.resolve("site")), "garden", "The Garden", zip);
        }
        return zip;
    }

    // ---- the container ----

    @Test
    void notAZip() throws IOException {
        Path file = Files.writeString(tmp.resolve("holiday-photos.zip"), "These are not the packs you are looking for");
        refused(file, PackException.Reason.INVALID, "holiday-photos.zip: is not a readable zip file: it is not a zip at all");
    }

    @Test
    void anEmptyFile() throws IOException {
        Path file = Files.write(tmp.resolve("empty.zip"), new byte[0]);
        refused(file, PackException.Reason.INVALID, "empty.zip: is not a readable zip file: it is empty");
    }

    @Test
    void aTruncatedZip() throws IOException {
        byte[] whole = Files.readAllBytes(garden());
        Path file = Files.write(tmp.resolve("half-copied.zip"), Arrays.copyOf(whole, whole.length / 2));
        refused(file, PackException.Reason.INVALID, "half-copied.zip: is not a readable zip file: it is truncated",
                "was the copy interrupted?");
    }

    @Test
    void aZipCutJustBeforeItsEndRecord() throws IOException {
        RawZip zip = validPack();
        byte[] whole = zip.toBytes();
        Path file = Files.write(tmp.resolve("cut.zip"), Arrays.copyOf(whole, whole.length - 10));
        refused(file, PackException.Reason.INVALID, "cut.zip: is not a readable zip file: it is truncated");
    }

    @Test
    void aZipWithBytesMissingFromTheMiddle() throws IOException {
        byte[] whole = validPack().toBytes();
        byte[] holed = new byte[whole.length - 7];
        System.arraycopy(whole, 0, holed, 0, 40);
        System.arraycopy(whole, 47, holed, 40, whole.length - 47);
        Path file = Files.write(tmp.resolve("holed.zip"), holed);
        refused(file, PackException.Reason.INVALID, "holed.zip: is not a readable zip file",
                "table of contents (central directory) is not where the zip says");
    }

    @Test
    void aCentralDirectoryWhoseEndRecordMiscountsItsEntries() throws IOException {
        RawZip zip = validPack();
        zip.declaredEntries = 2;
        refused(write("miscounted.zip", zip), PackException.Reason.INVALID, "miscounted.zip: is not a readable zip file",
                "holds 4 entries but the zip's end record says 2");
    }

    /** Each way the local header of 'readme.txt' can tell another story than the central directory. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "name     | zip entry 'readme.txt' is named 'readme.exe' in its local header",
        "method   | zip entry 'readme.txt' uses compression method 0 in its local header but 8 in the central directory",
        "size     | zip entry 'readme.txt' declares 99 bytes",
        "crc      | zip entry 'readme.txt' has a different CRC-32 in its local header",
        "flags    | zip entry 'readme.txt' has flags 801 in its local header but 800 in the central directory",
    })
    void aCentralDirectoryThatDisagreesWithItsLocalHeaders(String field, String expected) throws IOException {
        RawZip zip = validPack();
        RawZip.Entry readme = zip.entry("readme.txt");
        switch (field) {
            case "name" -> readme.localName = "readme.exe";
            case "method" -> readme.localMethod = 0;
            case "size" -> readme.localSize = 99L;
            case "crc" -> readme.localCrc = readme.crc ^ 1;
            case "flags" -> readme.localFlags = readme.flags | 1;
            default -> throw new IllegalArgumentException(field);
        }
        refused(write("two-faced-" + field + ".zip", zip), PackException.Reason.INVALID,
                "two-faced-" + field + ".zip: " + expected, "central directory and local headers disagree");
    }

    @Test
    void twoEntriesSharingOneLocalHeader() throws IOException {
        // The overlapping-entries zip bomb: many central directory records, one compressed body.
        RawZip zip = validPack();
        RawZip.Entry copy = zip.add(RawZip.deflated("copy.txt", "Plain words about soil.\n".getBytes(StandardCharsets.UTF_8)));
        copy.sharesLocalHeaderOf = zip.entries.indexOf(zip.entry("readme.txt"));
        refused(write("overlapping.zip", zip), PackException.Reason.INVALID, "overlapping.zip: zip entry 'copy.txt'",
                "overlaps the data of zip entry 'readme.txt'");
    }

    @Test
    void anEntryWhoseDataRunsIntoTheCentralDirectory() throws IOException {
        RawZip zip = validPack();
        RawZip.Entry readme = zip.entry("readme.txt");
        readme.compressedSize += 4000;
        readme.localCompressedSize = readme.compressedSize;
        refused(write("overrun.zip", zip), PackException.Reason.INVALID,
                "overrun.zip: zip entry 'readme.txt' runs past the end of the zip's data");
    }

    // ---- entry names ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "../escape.txt       | 3 | the path contains a '..' segment",
        "notes/../../x.txt   | 3 | the path contains a '..' segment",
        "/etc/cron.d/evil    | 3 | the path is absolute (starts with '/')",
        "notes\\evil.txt     | 3 | the path contains a backslash",
        "notes\\evil.txt     | 0 | the path contains a backslash",
        "C:/Windows/evil.txt | 3 | the path starts with a drive letter",
        "c:evil.txt          | 0 | the path starts with a drive letter",
    })
    void anUnsafeEntryPath(String path, int platform, String problem) throws IOException {
        RawZip zip = validPack();
        RawZip.Entry evil = zip.add(RawZip.stored(path, "gotcha".getBytes(StandardCharsets.UTF_8)));
        evil.madeBy = platform << 8 | 20;
        refused(write("unsafe.zip", zip), PackException.Reason.INVALID, "unsafe.zip: zip entry '", problem);
    }

    @Test
    void aSymlinkEntry() throws IOException {
        RawZip zip = validPack();
        RawZip.Entry link = zip.add(RawZip.stored("notes/passwords", "/etc/shadow".getBytes(StandardCharsets.UTF_8)));
        link.externalAttributes = 0120777L << 16;
        refused(write("symlink.zip", zip), PackException.Reason.INVALID,
                "symlink.zip: zip entry 'notes/passwords' is a symbolic link");
    }

    @Test
    void duplicateEntryNames() throws IOException {
        RawZip zip = validPack();
        zip.add(RawZip.stored("readme.txt", "Plain words about soil.\n".getBytes(StandardCharsets.UTF_8)));
        refused(write("twice.zip", zip), PackException.Reason.INVALID, "twice.zip: zip entry 'readme.txt' appears twice");
    }

    @Test
    void aFileAndAFolderWithTheSameName() throws IOException {
        RawZip zip = validPack();
        zip.add(RawZip.stored("readme.txt/", new byte[0]));
        refused(write("file-and-folder.zip", zip), PackException.Reason.INVALID,
                "file-and-folder.zip: zip entry 'readme.txt/' appears twice");
    }

    // ---- entries against pack.json ----

    @Test
    void anEntryWhoseSizeDoesNotMatchPackJson() throws IOException {
        RawZip zip = validPack(files -> files.put("readme.txt", "Plain words about soil, and more.\n".getBytes(
                StandardCharsets.UTF_8)), manifest -> { });
        zip.replace(RawZip.deflated("readme.txt", "Plain words.\n".getBytes(StandardCharsets.UTF_8)));
        refused(write("size.zip", zip), PackException.Reason.INVALID,
                "size.zip: zip entry 'readme.txt' has 13 bytes but pack.json says 34");
    }

    @Test
    void anEntryWhoseHashDoesNotMatchPackJson() throws IOException {
        RawZip zip = validPack();
        zip.replace(RawZip.deflated("readme.txt", "Plain words about SOIL.\n".getBytes(StandardCharsets.UTF_8)));
        refused(write("hash.zip", zip), PackException.Reason.INVALID,
                "hash.zip: zip entry 'readme.txt' does not match its sha256 in pack.json");
    }

    @Test
    void anEntryWhoseCrcDoesNotMatchItsBytes() throws IOException {
        RawZip zip = validPack();
        RawZip.Entry readme = zip.entry("readme.txt");
        readme.crc ^= 0x5a5a;
        refused(write("crc.zip", zip), PackException.Reason.INVALID,
                "crc.zip: zip entry 'readme.txt' cannot be read (its CRC-32 does not match; the zip is damaged)");
    }

    @Test
    void aFileThatPackJsonDoesNotList() throws IOException {
        RawZip zip = validPack();
        zip.add(RawZip.deflated("stowaway.html", "<p>not listed</p>".getBytes(StandardCharsets.UTF_8)));
        refused(write("stowaway.zip", zip), PackException.Reason.INVALID,
                "stowaway.zip: zip entry 'stowaway.html' is not listed in pack.json");
    }

    @Test
    void aFileThatPackJsonListsButTheZipLacks() throws IOException {
        RawZip zip = validPack();
        zip.entries.remove(zip.entry("notes/soil.md"));
        refused(write("missing.zip", zip), PackException.Reason.INVALID,
                "missing.zip: 'notes/soil.md' is listed in pack.json but missing from the zip");
    }

    // ---- pack.json ----

    @Test
    void packJsonMissing() throws IOException {
        RawZip zip = validPack();
        zip.entries.remove(zip.entry("pack.json"));
        refused(write("no-manifest.zip", zip), PackException.Reason.INVALID,
                "no-manifest.zip: pack.json is missing at the root of the zip");
    }

    @Test
    void packJsonInASubfolderOnly() throws IOException {
        RawZip zip = validPack();
        zip.entry("pack.json").name = "garden/pack.json";
        refused(write("nested.zip", zip), PackException.Reason.INVALID, "nested.zip: pack.json is missing at the root");
    }

    @Test
    void packJsonNotJson() throws IOException {
        RawZip zip = validPack();
        zip.replace(RawZip.deflated("pack.json", "id = garden\nversion = 1\n".getBytes(StandardCharsets.UTF_8)));
        refused(write("not-json.zip", zip), PackException.Reason.INVALID, "not-json.zip: pack.json: is not valid JSON");
    }

    @Test
    void packJsonNotUtf8() throws IOException {
        RawZip zip = validPack();
        byte[] latin1 = new String(zip.entry("pack.json").content, StandardCharsets.UTF_8)
                .replace("\"title\" : \"Bad\"", "\"title\" : \"Caf\u00e9\"").getBytes(StandardCharsets.ISO_8859_1);
        zip.replace(RawZip.deflated("pack.json", latin1));
        refused(write("latin1.zip", zip), PackException.Reason.INVALID, "latin1.zip: pack.json: is not UTF-8 text");
    }

    @Test
    void packJsonOver16Megabytes() throws IOException {
        RawZip zip = validPack();
        byte[] huge = new byte[ManifestCodec.MAX_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        zip.replace(RawZip.stored("pack.json", huge));
        refused(write("huge-manifest.zip", zip), PackException.Reason.INVALID,
                "huge-manifest.zip: pack.json is larger than 16 MB");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"version\" : 1,         | \"version\" : 0,            | field 'version' must be a positive whole number",
        "\"id\" : \"bad\",        | \"id\" : \"Bad_Pack\",      | field 'id' must be 1 to 64 lowercase letters",
        "\"format\" : 1,          | \"format\" : 3,             | format 3 is not supported",
        "\"title\" : \"Bad\",     | \"title\" : 7,              | field 'title' must be text",
        "\"language\" : \"en\",   | \"language\" : \"English!\",| field 'language' must be a language tag",
        "\"size\" : 24,           | \"size\" : -24,             | files[0] 'readme.txt': 'size' must be a whole number",
    })
    void packJsonWithABadFieldValue(String from, String to, String problem) throws IOException {
        RawZip zip = validPack();
        String json = new String(zip.entry("pack.json").content, StandardCharsets.UTF_8);
        assertThat(json).contains(from);
        zip.replace(RawZip.deflated("pack.json", json.replace(from, to).getBytes(StandardCharsets.UTF_8)));
        refused(write("bad-field.zip", zip), PackException.Reason.INVALID, "bad-field.zip: pack.json: " + problem);
    }

    // ---- zip bombs ----

    @Test
    void aDeclaredSizeBeyondTheLimit() throws IOException {
        RawZip zip = validPack();
        RawZip.Entry video = zip.add(RawZip.stored("video.mp4", new byte[16]));
        video.method = 8;
        video.size = 100L << 30;
        video.compressedSize = 1L << 30;
        video.zip64 = true;
        refused(write("declared-bomb.zip", zip), PackException.Reason.INVALID,
                "declared-bomb.zip: zip entry 'video.mp4' declares 107374182400 bytes unpacked, more than the limit");
    }

    @Test
    void declaredSizesAddingUpBeyondTheLimit() throws IOException {
        RawZip zip = validPack();
        for (int i = 0; i < 5; i++) {
            RawZip.Entry part = zip.add(RawZip.stored("part" + i + ".mp4", new byte[16]));
            part.method = 8;
            part.size = 60L << 30;
            part.compressedSize = 1L << 30;
            part.zip64 = true;
        }
        refused(write("total-bomb.zip", zip), PackException.Reason.INVALID,
                "total-bomb.zip: unpacks to more than the limit of " + (256L << 30) + " bytes");
    }

    @Test
    void anEntryThatInflatesBeyondItsDeclaredSize() throws IOException {
        byte[] real = "All work and no play makes a dull pack. ".repeat(5000).getBytes(StandardCharsets.UTF_8);
        byte[] claimed = Arrays.copyOf(real, 1000);
        RawZip zip = validPack(files -> files.put("notes/dull.txt", claimed), manifest -> { });
        RawZip.Entry dull = zip.add(RawZip.deflated("notes/dull.txt", real));
        dull.size = claimed.length;
        refused(write("liar.zip", zip), PackException.Reason.INVALID,
                "liar.zip: zip entry 'notes/dull.txt' holds more bytes than the 1000 pack.json lists");
    }

    @Test
    void anExtremeCompressionRatio() throws IOException {
        byte[] zeros = new byte[4 << 20];
        RawZip zip = validPack(files -> files.put("zeros.bin", zeros), manifest -> { });
        zip.add(RawZip.deflated("zeros.bin", zeros));
        refused(write("ratio-bomb.zip", zip), PackException.Reason.INVALID,
                "ratio-bomb.zip: zip entry 'zeros.bin' claims a compression ratio over 200:1 (a zip bomb?)");
    }

    /** Refused from the end record's count, and, when that lies, from counting the entries. */
    @ParameterizedTest(name = "end record says {0}")
    @ValueSource(ints = {100_004, 4})
    void tooManyEntries(int declared) throws IOException {
        RawZip zip = validPack();
        for (int i = 0; i < 100_000; i++) {
            zip.add(RawZip.stored(Integer.toString(i, 36), new byte[0]));
        }
        zip.declaredEntries = declared;
        refused(write("crowded.zip", zip), PackException.Reason.INVALID, "crowded.zip: has more than 100000 entries");
    }

    // ---- unsupported features ----

    @Test
    void anEncryptedEntry() throws IOException {
        RawZip zip = validPack();
        RawZip.Entry readme = zip.entry("readme.txt");
        readme.flags |= 1;
        refused(write("locked.zip", zip), PackException.Reason.INVALID,
                "locked.zip: zip entry 'readme.txt' is encrypted; packs must not be encrypted");
    }

    @ParameterizedTest(name = "method {0}")
    @CsvSource({"12, BZIP2", "14, LZMA", "93, ZSTD", "99, AES_ENCRYPTED", "6, IMPLODING"})
    void anUnsupportedCompressionMethod(int method, String label) throws IOException {
        RawZip zip = validPack();
        zip.entry("readme.txt").method = method;
        refused(write("exotic.zip", zip), PackException.Reason.INVALID,
                "exotic.zip: zip entry 'readme.txt' uses compression method " + label
                        + "; only stored and deflate are allowed");
    }

    // ---- against the library ----

    @Test
    void anInstalledIdAndVersionWithDifferentContent() throws IOException {
        Path site = PackFixtures.smallSite(tmp.resolve("site"));
        PackFixtures.write(site, "readme.txt", "Other words.\n");
        Path other = PackFixtures.build(site, "garden", "The Garden", tmp.resolve("garden-changed.zip"));
        refused(other, PackException.Reason.CONFLICT, "garden-changed.zip: pack 'garden' version 1 is already"
                + " installed with different content");
    }

    // ---- controls: the checks do not refuse good zips ----

    @Test
    void theRawWriterMakesAcceptablePacks() throws IOException {
        try (Library other = Library.open(tmp.resolve("other-data"))) {
            ImportResult r = new PackImporter(other).importPack(write("raw.zip", validPack()), ProgressListener.NONE);
            assertThat(r.outcome()).isEqualTo(ImportResult.Outcome.INSTALLED);
            assertThat(other.catalog().pack("bad")).isPresent();
        }
    }

    @Test
    void zip64AndStreamedZipsAreAccepted() throws IOException {
        PackManifest manifest;
        try (PackArchive archive = PackArchive.open(garden())) {
            manifest = archive.manifest();
        }
        Path site = shared.resolve("site");
        for (boolean seekable : new boolean[] {true, false}) {
            Path zip = tmp.resolve("zip64-" + seekable + ".zip");
            ByteArrayOutputStream memory = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream out = seekable ? new ZipArchiveOutputStream(zip)
                    : new ZipArchiveOutputStream(memory)) {
                out.setUseZip64(Zip64Mode.Always);
                List<String> names = new ArrayList<>();
                names.add("pack.json");
                manifest.files().forEach(f -> names.add(f.path()));
                for (String n : names) {
                    out.putArchiveEntry(new ZipArchiveEntry(n));
                    out.write(n.equals("pack.json") ? ManifestCodec.write(manifest) : Files.readAllBytes(site.resolve(n)));
                    out.closeArchiveEntry();
                }
            }
            if (!seekable) {
                Files.write(zip, memory.toByteArray());
            }
            try (PackArchive archive = PackArchive.open(zip)) {
                assertThat(ManifestCodec.digest(archive.manifest())).isEqualTo(ManifestCodec.digest(manifest));
            }
            assertThat(importer.importPack(zip, ProgressListener.NONE).outcome())
                    .isEqualTo(ImportResult.Outcome.UNCHANGED);
            assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
        }
    }

    // ---- format 2: the streamed file list ----

    @Test
    void format2ThatIsValidImports() throws IOException {
        Path zip = write("fine2.zip", validPack2(lines -> { }, true));
        assertThat(importer.importPack(zip, ProgressListener.NONE).outcome()).isEqualTo(ImportResult.Outcome.INSTALLED);
        assertThat(library.catalog().items("bad2")).hasSize(3);
        library.delete("bad2");
        assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
    }

    @Test
    void format2FileListNotSorted() throws IOException {
        refused(write("unsorted.zip", validPack2(lines -> java.util.Collections.swap(lines, 0, 1), true)),
                PackException.Reason.INVALID, "pack-files.tsv: line 2", "must be sorted by path");
    }

    @Test
    void format2FileListWithAPathTwice() throws IOException {
        refused(write("twice.zip", validPack2(lines -> lines.add(1, lines.get(0)), true)),
                PackException.Reason.INVALID, "pack-files.tsv: line 2 'index.html' is listed twice");
    }

    @Test
    void format2FileListNamingAFileTheZipLacks() throws IOException {
        refused(write("lacks.zip", validPack2(lines -> lines.add(1, "lost.html\t3\t" + "0".repeat(64) + "\n"), true)),
                PackException.Reason.INVALID, "'lost.html' is listed in pack-files.tsv but missing from the zip");
    }

    @Test
    void format2ZipHoldingAFileTheListLacks() throws IOException {
        refused(write("unlisted.zip", validPack2(lines -> lines.remove(1), true)),
                PackException.Reason.INVALID, "zip entry 'notes/soil.md' is not listed in pack-files.tsv");
    }

    @Test
    void format2FileListWithAWrongSize() throws IOException {
        refused(write("size2.zip", validPack2(lines -> lines.set(0, lines.get(0).replaceFirst("\t[0-9]+\t", "\t7\t")),
                true)), PackException.Reason.INVALID, "zip entry 'index.html' has", "pack-files.tsv says 7");
    }

    @Test
    void format2FileListWithAWrongHash() throws IOException {
        refused(write("hash2.zip", validPack2(lines -> lines.set(0, lines.get(0).replaceFirst("\t[0-9a-f]{64}",
                "\t" + "a".repeat(64))), true)), PackException.Reason.INVALID,
                "zip entry 'index.html' does not match its sha256 in pack-files.tsv");
    }

    @Test
    void format2FileListWithAHugeLine() throws IOException {
        refused(write("huge.zip", validPack2(lines -> lines.add(0, "a".repeat(100_000) + "\n"), true)),
                PackException.Reason.INVALID, "pack-files.tsv: line 1 is longer than");
    }

    @Test
    void format2FileListThatPackJsonDoesNotDescribe() throws IOException {
        refused(write("changed.zip", validPack2(lines -> lines.set(2, lines.get(2).replace("\n", "\ttext/plain\n")),
                false)), PackException.Reason.INVALID, "pack-files.tsv: does not match the sha256 pack.json gives");
    }

    @Test
    void format2FileListMissing() throws IOException {
        RawZip zip = validPack2(lines -> { }, true);
        zip.entries.remove(1);
        refused(write("nolist.zip", zip), PackException.Reason.INVALID, "pack-files.tsv is missing");
    }

    @Test
    void format2EntriesOutOfPathOrder() throws IOException {
        RawZip zip = validPack2(lines -> { }, true);
        java.util.Collections.swap(zip.entries, 2, 3);
        refused(write("order.zip", zip), PackException.Reason.INVALID, "comes after 'notes/soil.md'",
                "entries are in path order");
    }

    @Test
    void format2PackJsonNotFirst() throws IOException {
        RawZip zip = validPack2(lines -> { }, true);
        java.util.Collections.swap(zip.entries, 0, 1);
        refused(write("notfirst.zip", zip), PackException.Reason.INVALID, "pack.json says format 2",
                "must be the zip's first entry");
    }

    @Test
    void format2WithAFolderEntry() throws IOException {
        RawZip zip = validPack2(lines -> { }, true);
        zip.entries.add(3, RawZip.stored("notes/", new byte[0]));
        refused(write("folder2.zip", zip), PackException.Reason.INVALID, "zip entry 'notes/' is a folder");
    }

    @Test
    void format2ListingFilesInPackJson() throws IOException {
        refused(write("files2.zip", validPack2(lines -> { }, true, json -> json.insert(json.indexOf("\"fileList\""),
                "\"files\" : [],\n  "))), PackException.Reason.INVALID, "field 'files' is not used in format 2");
    }

    /** A valid format-2 pack 'bad2'; {@code editList} changes the file list's lines (the zip holds the same files). */
    private static RawZip validPack2(Consumer<List<String>> editList, boolean describeEditedList) {
        return validPack2(editList, describeEditedList, json -> { });
    }

    private static RawZip validPack2(Consumer<List<String>> editList, boolean describeEditedList,
                                     Consumer<StringBuilder> editManifest) {
        Map<String, byte[]> files = new java.util.TreeMap<>(FileList::compare);
        files.put("readme.txt", "Plain words about soil.\n".getBytes(StandardCharsets.UTF_8));
        files.put("index.html", "<!doctype html><title>Bad</title><p>Hello</p>".getBytes(StandardCharsets.UTF_8));
        files.put("notes/soil.md", "# Soil\n\nCompost.\n".getBytes(StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        files.forEach((path, data) -> lines.add(new String(FileList.line(new FileList.Entry(path, data.length,
                Hashes.sha256Hex(data), null)), StandardCharsets.UTF_8)));
        String original = String.join("", lines);
        editList.accept(lines);
        String list = String.join("", lines);
        String described = describeEditedList ? list : original;
        long size = 0;
        for (String l : described.split("\n")) {
            String[] f = l.split("\t");
            size += f.length > 1 && f[1].matches("[0-9]+") ? Long.parseLong(f[1]) : 0;
        }
        PackManifest manifest = new PackManifest(2, "bad2", 1, "Bad", "", "en", "", List.of(), "", null, List.of(),
                null, Map.of(), new PackManifest.FileListInfo(described.split("\n").length, size,
                Hashes.sha256Hex(described.getBytes(StandardCharsets.UTF_8))));
        StringBuilder json = new StringBuilder(new String(ManifestCodec.write(manifest), StandardCharsets.UTF_8));
        editManifest.accept(json);
        RawZip zip = new RawZip();
        zip.add(RawZip.deflated("pack.json", json.toString().getBytes(StandardCharsets.UTF_8)));
        zip.add(RawZip.deflated(FileList.ENTRY_NAME, list.getBytes(StandardCharsets.UTF_8)));
        files.forEach((path, data) -> zip.add(RawZip.deflated(path, data)));
        return zip;
    }

    // ---- helpers ----

    private void refused(Path zip, PackException.Reason reason, String... fragments) throws IOException {
        try {
            assertThatThrownBy(() -> importer.importPack(zip, ProgressListener.NONE))
                    .isInstanceOf(PackException.class)
                    .satisfies(e -> assertThat(((PackException) e).reason()).isEqualTo(reason))
                    .satisfies(e -> assertThat(e.getMessage()).startsWith(zip.getFileName() + ": ").contains(fragments));
            assertThat(library.catalog().packs()).extracting(PackRecord::id).containsExactly("garden");
            assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
        } finally {
            // A pack wrongly let in must not make the cases after this one fail too.
            library.catalog().packs().stream().map(PackRecord::id).filter(id -> !id.equals("garden"))
                    .forEach(library::delete);
        }
    }

    private Path write(String name, RawZip zip) throws IOException {
        return Files.write(tmp.resolve(name), zip.toBytes());
    }

    private static RawZip validPack() {
        return validPack(files -> { }, manifest -> { });
    }

    /**
     * A valid pack 'bad' version 1 with a few files; {@code editFiles} changes what pack.json
     * describes (the zip holds the same), {@code editManifest} its text.
     */
    private static RawZip validPack(Consumer<Map<String, byte[]>> editFiles, Consumer<StringBuilder> editManifest) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("readme.txt", "Plain words about soil.\n".getBytes(StandardCharsets.UTF_8));
        files.put("index.html", "<!doctype html><title>Bad</title><p>Hello</p>".getBytes(StandardCharsets.UTF_8));
        files.put("notes/soil.md", "# Soil\n\nCompost.\n".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> described = new LinkedHashMap<>(files);
        editFiles.accept(described);
        List<PackManifest.FileEntry> entries = new ArrayList<>();
        described.forEach((path, data) -> entries.add(new PackManifest.FileEntry(path, data.length,
                Hashes.sha256Hex(data))));
        PackManifest manifest = new PackManifest(1, "bad", 1, "Bad", "", "en", "", List.of(), "", null, entries, null,
                Map.of());
        StringBuilder json = new StringBuilder(new String(ManifestCodec.write(manifest), StandardCharsets.UTF_8));
        editManifest.accept(json);
        RawZip zip = new RawZip();
        zip.add(RawZip.deflated("pack.json", json.toString().getBytes(StandardCharsets.UTF_8)));
        files.forEach((path, data) -> zip.add(RawZip.deflated(path, data)));
        return zip;
    }

    /**
     * Writes zips byte by byte, so that tests can make every lie a hostile zip can tell: local
     * headers that disagree with the central directory, wrong sizes and CRCs, flags, methods,
     * names no zip library would write, entries sharing data, a miscounting end record.
     */
    static final class RawZip {
        static final int DOS_DATE = (2000 - 1980) << 9 | 1 << 5 | 1;

        static final class Entry {
            String name;
            byte[] content;
            byte[] data;
            int method;
            long crc;
            long size;
            long compressedSize;
            int flags = 0x800;
            int madeBy = 3 << 8 | 20;
            long externalAttributes = 0100644L << 16;
            boolean zip64;
            int sharesLocalHeaderOf = -1;
            String localName;
            Integer localMethod;
            Long localSize;
            Long localCompressedSize;
            Long localCrc;
            Integer localFlags;
            long offset;
        }

        final List<Entry> entries = new ArrayList<>();
        Integer declaredEntries;

        static Entry stored(String name, byte[] content) {
            Entry e = new Entry();
            e.name = name;
            e.content = content;
            e.data = content;
            e.method = 0;
            e.crc = crc(content);
            e.size = content.length;
            e.compressedSize = content.length;
            return e;
        }

        static Entry deflated(String name, byte[] content) {
            Entry e = stored(name, content);
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            deflater.setInput(content);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            deflater.end();
            e.data = out.toByteArray();
            e.method = 8;
            e.compressedSize = e.data.length;
            return e;
        }

        Entry add(Entry e) {
            entries.add(e);
            return e;
        }

        Entry entry(String name) {
            return entries.stream().filter(e -> e.name.equals(name)).findFirst().orElseThrow();
        }

        Entry replace(Entry e) {
            entries.set(entries.indexOf(entry(e.name)), e);
            return e;
        }

        byte[] toBytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Entry e : entries) {
                if (e.sharesLocalHeaderOf >= 0) {
                    continue;
                }
                e.offset = out.size();
                byte[] name = utf8(e.localName != null ? e.localName : e.name);
                int32(out, 0x04034b50);
                int16(out, 20);
                int16(out, e.localFlags != null ? e.localFlags : e.flags);
                int16(out, e.localMethod != null ? e.localMethod : e.method);
                int16(out, 0);
                int16(out, DOS_DATE);
                int32(out, e.localCrc != null ? e.localCrc : e.crc);
                int32(out, Math.min(0xFFFFFFFFL, e.localCompressedSize != null ? e.localCompressedSize : e.compressedSize));
                int32(out, Math.min(0xFFFFFFFFL, e.localSize != null ? e.localSize : e.size));
                int16(out, name.length);
                int16(out, 0);
                out.writeBytes(name);
                out.writeBytes(e.data);
            }
            long centralStart = out.size();
            for (Entry e : entries) {
                long offset = e.sharesLocalHeaderOf >= 0 ? entries.get(e.sharesLocalHeaderOf).offset : e.offset;
                byte[] name = utf8(e.name);
                ByteArrayOutputStream extra = new ByteArrayOutputStream();
                if (e.zip64) {
                    int16(extra, 0x0001);
                    int16(extra, 16);
                    int64(extra, e.size);
                    int64(extra, e.compressedSize);
                }
                int32(out, 0x02014b50);
                int16(out, e.madeBy);
                int16(out, e.zip64 ? 45 : 20);
                int16(out, e.flags);
                int16(out, e.method);
                int16(out, 0);
                int16(out, DOS_DATE);
                int32(out, e.crc);
                int32(out, e.zip64 ? 0xFFFFFFFFL : e.compressedSize);
                int32(out, e.zip64 ? 0xFFFFFFFFL : e.size);
                int16(out, name.length);
                int16(out, extra.size());
                int16(out, 0);
                int16(out, 0);
                int16(out, 0);
                int32(out, e.externalAttributes);
                int32(out, offset);
                out.writeBytes(name);
                out.writeBytes(extra.toByteArray());
            }
            long centralSize = out.size() - centralStart;
            int count = declaredEntries != null ? declaredEntries : entries.size();
            if (count > 0xFFFF) {
                long zip64End = out.size();
                int32(out, 0x06064b50);
                int64(out, 44);
                int16(out, 45);
                int16(out, 45);
                int32(out, 0);
                int32(out, 0);
                int64(out, count);
                int64(out, count);
                int64(out, centralSize);
                int64(out, centralStart);
                int32(out, 0x07064b50);
                int32(out, 0);
                int64(out, zip64End);
                int32(out, 1);
            }
            int32(out, 0x06054b50);
            int16(out, 0);
            int16(out, 0);
            int16(out, Math.min(count, 0xFFFF));
            int16(out, Math.min(count, 0xFFFF));
            int32(out, centralSize);
            int32(out, centralStart);
            int16(out, 0);
            return out.toByteArray();
        }

        private static long crc(byte[] data) {
            CRC32 crc = new CRC32();
            crc.update(data);
            return crc.getValue();
        }

        private static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }

        private static void int16(ByteArrayOutputStream out, int v) {
            out.write(v & 0xFF);
            out.write(v >>> 8 & 0xFF);
        }

        private static void int32(ByteArrayOutputStream out, long v) {
            int16(out, (int) (v & 0xFFFF));
            int16(out, (int) (v >>> 16 & 0xFFFF));
        }

        private static void int64(ByteArrayOutputStream out, long v) {
            int32(out, v & 0xFFFFFFFFL);
            int32(out, v >>> 32);
        }
    }
}
