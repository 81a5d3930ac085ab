package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import's small pages train a zstd dictionary that compresses the rest; every chunk still
 * reads back as its raw bytes, a damaged copy of the dictionary is passed over, and a failed
 * import takes its dictionary with it.
 */
class ChunkDictionaryTest {

    private static final int PAGES = 2500;

    @TempDir
    Path tmp;

    @Test
    void smallPagesAfterTheSamplesAreCompressedWithTheDictionaryAndReadBackExactly() throws IOException {
        try (Library library = Library.open(tmp.resolve("data"))) {
            List<byte[]> pages = pages(PAGES, 1);
            List<ChunkStore.StagedFile> staged = stage(library, pages, ChunkStore.newStagingId());

            assertThat(count(library, "SELECT count(*) FROM chunk_dictionary")).isEqualTo(1);
            long withDictionary = count(library, "SELECT count(*) FROM chunk WHERE codec = 2");
            // The samples were stored before the dictionary existed; every page after them uses it.
            assertThat(withDictionary).isEqualTo(PAGES - ChunkCompressor.SAMPLES);
            for (int i = 0; i < pages.size(); i++) {
                String hash = staged.get(i).chunks().get(0).hash();
                assertThat(library.chunks().readChunk(hash)).hasValue(pages.get(i));
            }
            // The same pages compressed one by one, as before dictionaries.
            long dictionaryBytes = count(library, "SELECT sum(length(data)) FROM chunk WHERE codec = 2");
            long aloneBytes = 0;
            for (byte[] page : pages.subList(ChunkCompressor.SAMPLES, PAGES)) {
                aloneBytes += ChunkCodec.encode(page).data().length;
            }
            assertThat(dictionaryBytes).isLessThan(aloneBytes * 3 / 4);
        }
    }

    @Test
    void aDamagedCopyOfTheDictionaryIsPassedOverAndTwoMakeTheChunksDamaged() throws IOException {
        Path data = tmp.resolve("data");
        String last;
        byte[] lastPage;
        try (Library library = Library.open(data)) {
            List<byte[]> pages = pages(PAGES, 2);
            List<ChunkStore.StagedFile> staged = stage(library, pages, ChunkStore.newStagingId());
            last = staged.get(PAGES - 1).chunks().get(0).hash();
            lastPage = pages.get(PAGES - 1);
            damage(library, "data");
        }
        try (Library library = Library.open(data)) {
            assertThat(library.chunks().readChunk(last)).hasValue(lastPage);
            damage(library, "copy");
        }
        try (Library library = Library.open(data)) {
            assertThatThrownBy(() -> library.chunks().readChunk(last)).isInstanceOf(DamagedChunkException.class);
        }
    }

    @Test
    void aFailedImportTakesItsDictionaryWithItsChunks() throws IOException {
        try (Library library = Library.open(tmp.resolve("data"))) {
            long failed = ChunkStore.newStagingId();
            stage(library, pages(PAGES, 3), failed);
            long kept = ChunkStore.newStagingId();
            stage(library, pages(PAGES, 4), kept);
            assertThat(count(library, "SELECT count(*) FROM chunk_dictionary")).isEqualTo(2);

            library.chunks().discardStaged(failed);

            assertThat(count(library, "SELECT count(*) FROM chunk_dictionary WHERE staged_by = " + kept)).isEqualTo(1);
            assertThat(count(library, "SELECT count(*) FROM chunk_dictionary")).isEqualTo(1);
        }
    }

    @Test
    void incompressibleFilesTrainNoDictionary() throws IOException {
        try (Library library = Library.open(tmp.resolve("data"))) {
            Random random = new Random(5);
            List<byte[]> noise = new ArrayList<>();
            for (int i = 0; i < PAGES; i++) {
                byte[] b = new byte[1000 + random.nextInt(3000)];
                random.nextBytes(b);
                noise.add(b);
            }
            stage(library, noise, ChunkStore.newStagingId());

            assertThat(count(library, "SELECT count(*) FROM chunk_dictionary")).isZero();
            assertThat(count(library, "SELECT count(*) FROM chunk WHERE codec <> 0")).isZero();
        }
    }

    /** Small pages of one website: the same markup around different words, as real ones are. */
    static List<byte[]> pages(int count, long seed) {
        Random random = new Random(seed);
        String[] words = ("water energy light plant cell animal earth system process structure history people"
                + " country city river mountain ocean climate weather force motion speed number fraction").split(" ");
        List<byte[]> pages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder b = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<title>Page " + i + "</title><link rel=\"stylesheet\" href=\"../style/site.css\">"
                    + "</head><body><nav class=\"site-navigation\"><a href=\"../index.html\">Home</a> | "
                    + "<a href=\"../contents.html\">Contents</a></nav><main><h1>Lesson " + i + "</h1>");
            for (int p = 0; p < 4; p++) {
                b.append("<p class=\"lesson-paragraph\">");
                for (int w = 0; w < 40; w++) {
                    b.append(words[random.nextInt(words.length)]).append(' ');
                }
                b.append("</p>");
            }
            b.append("</main><footer class=\"site-footer\">Offline Commons school library, seed ").append(seed)
                    .append("</footer></body></html>");
            pages.add(b.toString().getBytes(StandardCharsets.UTF_8));
        }
        return pages;
    }

    private static List<ChunkStore.StagedFile> stage(Library library, List<byte[]> files, long stagedBy)
            throws IOException {
        try (WriteBehind writer = library.chunks().bulkWriter("test-writer", 4)) {
            ChunkStore.Batch batch = library.chunks().batch(writer, stagedBy);
            List<ChunkStore.StagedFile> staged = new ArrayList<>();
            for (byte[] f : files) {
                staged.add(batch.stage(new ByteArrayInputStream(f), f.length, n -> { }));
            }
            batch.flush();
            writer.finish();
            return staged;
        }
    }

    private static void damage(Library library, String column) {
        library.database().write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE chunk_dictionary SET " + column + " = zeroblob(length(" + column + "))")) {
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static long count(Library library, String sql) {
        return LibraryTables.count(library, sql);
    }
}
