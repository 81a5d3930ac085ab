package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file of one chunk is stored as that chunk with no file_chunk row; its recipe still reads
 * whole, and its chunk goes only when no file, of one chunk or of many, uses it.
 */
class OneChunkFilesTest {

    @TempDir
    Path tmp;

    @Test
    void aOneChunkFileHasNoChunkRowAndReadsBackWhole() throws IOException {
        try (Library library = Library.open(tmp.resolve("data"))) {
            byte[] small = bytes(5000, 1);
            ChunkStore.StagedFile staged = stage(library, small, ChunkStore.newStagingId());

            assertThat(LibraryTables.count(library, "SELECT count(*) FROM file_chunk")).isZero();
            assertThat(library.chunks().recipe(staged.sha256()))
                    .hasValue(new FileRecipe(staged.sha256(), small.length, List.of(new ChunkRef(staged.sha256(), 5000))));
            try (var in = library.chunks().open(staged.recipe())) {
                assertThat(in.readAllBytes()).isEqualTo(small);
            }
        }
    }

    @Test
    void aChunkSharedWithALargerFileStaysUntilNeitherUsesIt() throws IOException {
        try (Library library = Library.open(tmp.resolve("data"))) {
            // The first chunk of the large file is, byte for byte, the whole small file.
            byte[] large = bytes(ChunkStore.CHUNK_SIZE + 1000, 2);
            byte[] small = Arrays.copyOf(large, ChunkStore.CHUNK_SIZE);
            ChunkStore.StagedFile one = stage(library, small, ChunkStore.newStagingId());
            ChunkStore.StagedFile two = stage(library, large, ChunkStore.newStagingId());
            assertThat(two.chunks().get(0).hash()).isEqualTo(one.sha256());
            assertThat(LibraryTables.count(library, "SELECT count(*) FROM chunk")).isEqualTo(2);

            library.chunks().release(List.of(two.sha256()));
            // The large file's own last chunk went; the one the small file is made of stayed.
            assertThat(LibraryTables.count(library, "SELECT count(*) FROM chunk")).isEqualTo(1);
            assertThat(library.chunks().readChunk(one.sha256())).hasValue(small);

            library.chunks().release(List.of(one.sha256()));
            assertThat(LibraryTables.count(library, "SELECT count(*) FROM chunk")).isZero();
        }
    }

    @Test
    void aFailedImportAndTheSweepRemoveTheChunksOfItsOneChunkFiles() throws IOException {
        try (Library library = Library.open(tmp.resolve("data"))) {
            long failed = ChunkStore.newStagingId();
            stage(library, bytes(3000, 3), failed);
            ChunkStore.StagedFile kept = stage(library, bytes(3000, 4), ChunkStore.newStagingId());

            library.chunks().discardStaged(failed);
            assertThat(LibraryTables.count(library, "SELECT count(*) FROM chunk")).isEqualTo(1);
            assertThat(library.chunks().readChunk(kept.sha256())).isPresent();

            library.chunks().sweep(Duration.ZERO);
            assertThat(LibraryTables.count(library, "SELECT count(*) FROM chunk")).isZero();
            assertThat(LibraryTables.count(library, "SELECT count(*) FROM file_recipe")).isZero();
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static ChunkStore.StagedFile stage(Library library, byte[] content, long stagedBy) throws IOException {
        try (WriteBehind writer = library.chunks().bulkWriter("test-writer", 4)) {
            ChunkStore.Batch batch = library.chunks().batch(writer, stagedBy);
            ChunkStore.StagedFile staged = batch.stage(new ByteArrayInputStream(content), content.length, n -> { });
            batch.flush();
            writer.finish();
            return staged;
        }
    }
}
