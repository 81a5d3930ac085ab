package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelZipEntriesTest {

    @TempDir
    Path tmp;

    private record File(String name, boolean deflate, byte[] bytes) {
    }

    /** Text and media, empty, small, at the small-file limit and past it, in an order that mixes them. */
    private static List<File> files() {
        Random random = new Random(7);
        List<File> files = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int size = switch (i % 7) {
                case 0 -> 0;
                case 1 -> i < 20 ? ParallelZipEntries.SMALL_FILE_BYTES : 1000;
                case 2 -> i == 2 ? ParallelZipEntries.SMALL_FILE_BYTES + 1 : 17;
                default -> random.nextInt(40_000);
            };
            boolean text = i % 3 != 0;
            byte[] bytes = new byte[size];
            if (text) {
                byte[] words = ("page " + i + " of a site, with words that repeat and repeat. ").getBytes(StandardCharsets.UTF_8);
                for (int k = 0; k < size; k++) {
                    bytes[k] = words[(k + random.nextInt(3)) % words.length];
                }
            } else {
                random.nextBytes(bytes);
            }
            files.add(new File("dir/file-" + i + (text ? ".html" : ".jpg"), text, bytes));
        }
        return files;
    }

    private Path writeOneByOne(List<File> files) throws IOException {
        Path zip = Files.createTempFile(tmp, "sequential", ".zip");
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.WRITE);
             ZipStreamWriter w = ZipStreamWriter.toFile(ch, tmp)) {
            for (File f : files) {
                w.add(f.name(), f.deflate(), f.bytes().length, () -> new ByteArrayInputStream(f.bytes()), n -> { });
            }
            w.finish();
        }
        return zip;
    }

    @Test
    void writesTheSameBytesAsOneEntryAtATimeOnAFileAndOnAStream() throws Exception {
        List<File> files = files();
        Path sequential = writeOneByOne(files);

        Path parallel = Files.createTempFile(tmp, "parallel", ".zip");
        long[] progress = {0};
        try (FileChannel ch = FileChannel.open(parallel, StandardOpenOption.WRITE);
             ZipStreamWriter w = ZipStreamWriter.toFile(ch, tmp);
             ParallelZipEntries entries = new ParallelZipEntries(w, n -> progress[0] += n)) {
            for (File f : files) {
                entries.add(f.name(), f.deflate(), f.bytes().length, () -> new ByteArrayInputStream(f.bytes()));
            }
            entries.flush();
            w.finish();
        }
        assertThat(Files.readAllBytes(parallel)).isEqualTo(Files.readAllBytes(sequential));
        assertThat(progress[0]).isEqualTo(files.stream().mapToLong(f -> f.bytes().length).sum());

        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        ByteArrayOutputStream streamedOneByOne = new ByteArrayOutputStream();
        try (ZipStreamWriter w = ZipStreamWriter.toStream(streamed, tmp);
             ParallelZipEntries entries = new ParallelZipEntries(w, n -> { })) {
            for (File f : files) {
                entries.add(f.name(), f.deflate(), f.bytes().length, () -> new ByteArrayInputStream(f.bytes()));
            }
            entries.flush();
            w.finish();
        }
        try (ZipStreamWriter w = ZipStreamWriter.toStream(streamedOneByOne, tmp)) {
            for (File f : files) {
                w.add(f.name(), f.deflate(), f.bytes().length, () -> new ByteArrayInputStream(f.bytes()), n -> { });
            }
            w.finish();
        }
        assertThat(streamed.toByteArray()).isEqualTo(streamedOneByOne.toByteArray());

        try (ZipFile zip = new ZipFile(parallel.toFile())) {
            for (File f : files) {
                ZipEntry e = zip.getEntry(f.name());
                assertThat(e.getMethod()).isEqualTo(f.deflate() ? ZipEntry.DEFLATED : ZipEntry.STORED);
                assertThat(zip.getInputStream(e).readAllBytes()).isEqualTo(f.bytes());
            }
        }
    }

    @Test
    void aFileShorterOrLongerThanListedIsNamed() throws Exception {
        for (int actual : new int[] {99, 101}) {
            Path zip = Files.createTempFile(tmp, "short", ".zip");
            try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.WRITE);
                 ZipStreamWriter w = ZipStreamWriter.toFile(ch, tmp);
                 ParallelZipEntries entries = new ParallelZipEntries(w, n -> { })) {
                entries.add("a.html", true, 10, () -> new ByteArrayInputStream(new byte[10]));
                entries.add("b/changed.html", true, 100, () -> new ByteArrayInputStream(new byte[actual]));
                assertThatThrownBy(entries::flush).isInstanceOf(IOException.class)
                        .hasMessageContaining("'b/changed.html' has").hasMessageContaining("not the 100 expected");
            }
        }
    }

    @Test
    void aSourceThatFailsStopsTheZipWithItsOwnError() throws Exception {
        Path zip = Files.createTempFile(tmp, "failing", ".zip");
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.WRITE);
             ZipStreamWriter w = ZipStreamWriter.toFile(ch, tmp);
             ParallelZipEntries entries = new ParallelZipEntries(w, n -> { })) {
            assertThatThrownBy(() -> {
                entries.add("gone.css", true, 5, () -> {
                    throw new IOException("the content of 'gone.css' is missing; run verify");
                });
                for (int i = 0; i < 200; i++) { // more than are read ahead: an add meets the error
                    entries.add("later-" + i + ".html", true, 3, () -> new ByteArrayInputStream(new byte[3]));
                }
                entries.flush();
            }).isInstanceOf(IOException.class).hasMessage("the content of 'gone.css' is missing; run verify");
        }
    }
}
