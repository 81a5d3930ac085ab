package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipEightByteInteger;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ZipLayout on zips written by other programs: Commons Compress and java.util.zip. */
class ZipLayoutTest {

    private static final long MAX = 1000;

    @TempDir
    Path dir;

    @Test
    void readsTheEndRecordOfAZipWrittenByCommonsCompress() throws IOException {
        Path zip = commonsCompressZip("cc.zip", Zip64Mode.Never, null);
        byte[] bytes = Files.readAllBytes(zip);

        ZipLayout layout = ZipLayout.read(zip, "cc.zip", MAX, MAX);

        assertThat(layout.entryCount()).isEqualTo(3);
        assertThat(ZipLong.getValue(bytes, 0)).isEqualTo(ZipLayout.LOCAL_SIG);
        assertThat(ZipLong.getValue(bytes, (int) layout.centralStart())).isEqualTo(ZipLayout.CENTRAL_SIG);
        assertThat(layout.centralStart() + layout.centralSize()).isEqualTo(bytes.length - 22);
        assertThat(ZipLong.getValue(bytes, bytes.length - 22)).isEqualTo(ZipLayout.EOCD_SIG);
        layout.checkLocalHeaders(entries(zip));
    }

    @Test
    void followsTheZip64EndRecordsCommonsCompressWrites() throws IOException {
        Path zip = commonsCompressZip("zip64.zip", Zip64Mode.Always, null);
        byte[] bytes = Files.readAllBytes(zip);
        int locator = bytes.length - 22 - 20;
        assertThat(ZipLong.getValue(bytes, locator)).isEqualTo(ZipLayout.ZIP64_LOCATOR_SIG);
        long zip64End = ZipEightByteInteger.getLongValue(bytes, locator + 8);
        assertThat(ZipLong.getValue(bytes, (int) zip64End)).isEqualTo(ZipLayout.ZIP64_EOCD_SIG);

        ZipLayout layout = ZipLayout.read(zip, "zip64.zip", MAX, MAX);

        assertThat(layout.entryCount()).isEqualTo(3);
        assertThat(layout.centralStart() + layout.centralSize()).isEqualTo(zip64End);
        layout.checkLocalHeaders(entries(zip));
    }

    @Test
    void findsTheEndRecordBehindAComment() throws IOException {
        Path zip = commonsCompressZip("commented.zip", Zip64Mode.Never, "made for a test; PK\u0005\u0006 is not here");

        ZipLayout layout = ZipLayout.read(zip, "commented.zip", MAX, MAX);

        assertThat(layout.entryCount()).isEqualTo(3);
        layout.checkLocalHeaders(entries(zip));
    }

    @Test
    void acceptsTheDataDescriptorsJavaUtilZipWrites() throws IOException {
        Path zip = dir.resolve("jdk.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : List.of("a.txt", "dir/b.html")) {
                out.putNextEntry(new ZipEntry(name));
                out.write(("content of " + name).repeat(50).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }

        ZipLayout layout = ZipLayout.read(zip, "jdk.zip", MAX, MAX);

        assertThat(layout.entryCount()).isEqualTo(2);
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            ZipLayout.LocalHeader first = ZipLayout.LocalHeader.read(ch, 0);
            assertThat(first.flags() & 8).as("sizes follow the data").isEqualTo(8);
            assertThat(new String(first.rawName(), StandardCharsets.UTF_8)).isEqualTo("a.txt");
            assertThat(first.method()).isEqualTo(ZipEntry.DEFLATED);
        }
        layout.checkLocalHeaders(entries(zip));
    }

    @Test
    void readsALocalHeaderAsCommonsCompressDescribesTheEntry() throws IOException {
        Path zip = commonsCompressZip("fields.zip", Zip64Mode.Never, null);
        ZipArchiveEntry stored = entries(zip).get(1);
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            ZipLayout.LocalHeader local = ZipLayout.LocalHeader.read(ch, stored.getLocalHeaderOffset());

            assertThat(local.method()).isEqualTo(ZipArchiveEntry.STORED);
            assertThat(local.crc()).isEqualTo(stored.getCrc());
            assertThat(local.size()).isEqualTo(stored.getSize());
            assertThat(local.compressedSize()).isEqualTo(stored.getCompressedSize());
            assertThat(local.rawName()).isEqualTo(stored.getRawName());
            assertThat(local.dataStart(stored.getLocalHeaderOffset())).isEqualTo(stored.getDataOffset());
            assertThat(ZipLayout.LocalHeader.read(ch, stored.getLocalHeaderOffset() + 1)).isNull();
        }
    }

    @Test
    void readsCentralRecordsAsCommonsCompressDescribesTheEntriesZip64OrNot() throws IOException {
        for (Zip64Mode mode : List.of(Zip64Mode.Never, Zip64Mode.Always)) {
            Path zip = commonsCompressZip("central-" + mode + ".zip", mode, null);
            byte[] bytes = Files.readAllBytes(zip);
            ZipLayout layout = ZipLayout.read(zip, "central.zip", MAX, MAX);
            int pos = (int) layout.centralStart();
            for (ZipArchiveEntry e : entries(zip)) {
                ZipLayout.CentralHeader raw = ZipLayout.CentralHeader.parse(
                        Arrays.copyOfRange(bytes, pos, pos + ZipLayout.CENTRAL_HEADER_SIZE));
                int extraStart = pos + ZipLayout.CENTRAL_HEADER_SIZE + raw.nameLength();
                ZipLayout.CentralHeader real = raw.withZip64(
                        Arrays.copyOfRange(bytes, extraStart, extraStart + raw.extraLength()));

                assertThat(real.method()).isEqualTo(e.getMethod());
                assertThat(real.crc()).isEqualTo(e.getCrc());
                assertThat(real.size()).as(mode + " " + e.getName()).isEqualTo(e.getSize());
                assertThat(real.compressedSize()).isEqualTo(e.getCompressedSize());
                assertThat(real.localOffset()).isEqualTo(e.getLocalHeaderOffset());
                if (mode == Zip64Mode.Always) {
                    assertThat(raw.localOffset()).as("the 32-bit field defers to zip64")
                            .isEqualTo(ZipLayout.ZIP64_MAGIC);
                }
                pos += ZipLayout.CENTRAL_HEADER_SIZE + (int) raw.variableLength();
            }
            assertThat(ZipLayout.CentralHeader.parse(Arrays.copyOfRange(bytes, 0, 46))).isNull();
        }
    }

    @Test
    void refusesALocalHeaderThatNamesAnotherFile() throws IOException {
        Path zip = commonsCompressZip("renamed.zip", Zip64Mode.Never, null);
        byte[] bytes = Files.readAllBytes(zip);
        // The first entry's local name, "a.txt", becomes "a.exe"; its central record stays.
        bytes[30 + 2] = 'e';
        bytes[30 + 3] = 'x';
        bytes[30 + 4] = 'e';
        Files.write(zip, bytes);
        ZipLayout layout = ZipLayout.read(zip, "renamed.zip", MAX, MAX);

        assertThatThrownBy(() -> layout.checkLocalHeaders(entries(zip)))
                .isInstanceOf(PackException.class)
                .hasMessageContaining("renamed.zip: zip entry 'a.txt' is named 'a.exe' in its local header");
    }

    @Test
    void refusesATruncatedZipAndAFileThatIsNoZip() throws IOException {
        Path zip = commonsCompressZip("cut.zip", Zip64Mode.Never, null);
        byte[] bytes = Files.readAllBytes(zip);
        Files.write(zip, Arrays.copyOf(bytes, bytes.length - 30));
        Path text = Files.writeString(dir.resolve("notes.zip"), "just some text, long enough to be read".repeat(3));

        assertThatThrownBy(() -> ZipLayout.read(zip, "cut.zip", MAX, MAX))
                .hasMessageContaining("cut.zip: is not a readable zip file: it is truncated");
        assertThatThrownBy(() -> ZipLayout.read(text, "notes.zip", MAX, MAX))
                .hasMessageContaining("notes.zip: is not a readable zip file: it is not a zip at all");
    }

    @Test
    void countsTheCentralDirectoryWhateverTheEndRecordSays() throws IOException {
        Path zip = commonsCompressZip("miscounted.zip", Zip64Mode.Never, null);
        byte[] bytes = Files.readAllBytes(zip);
        // Both entry counts in the end record say 2 where the central directory holds 3.
        bytes[bytes.length - 22 + 8] = 2;
        bytes[bytes.length - 22 + 10] = 2;
        Files.write(zip, bytes);

        assertThatThrownBy(() -> ZipLayout.read(zip, "miscounted.zip", MAX, MAX))
                .hasMessageContaining("holds 3 entries but the zip's end record says 2");
        assertThatThrownBy(() -> ZipLayout.read(zip, "miscounted.zip", 2, 2))
                .hasMessageContaining("miscounted.zip: has more than 2 entries");
    }

    private Path commonsCompressZip(String name, Zip64Mode zip64, String comment) throws IOException {
        Path zip = dir.resolve(name);
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            out.setUseZip64(zip64);
            if (comment != null) {
                out.setComment(comment);
            }
            write(out, "a.txt", ZipArchiveEntry.DEFLATED, "deflated text ".repeat(40));
            write(out, "b.bin", ZipArchiveEntry.STORED, "stored bytes");
            write(out, "dir/c.html", ZipArchiveEntry.DEFLATED, "<p>html</p>");
        }
        return zip;
    }

    private static void write(ZipArchiveOutputStream out, String name, int method, String text) throws IOException {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setMethod(method);
        out.putArchiveEntry(e);
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeArchiveEntry();
    }

    private static List<ZipArchiveEntry> entries(Path zip) throws IOException {
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            return Collections.list(file.getEntriesInPhysicalOrder());
        }
    }
}
