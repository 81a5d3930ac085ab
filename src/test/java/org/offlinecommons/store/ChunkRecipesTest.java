package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipes read many at a time (a sync's plan, a peer's manifest) say what one-by-one reads say. */
class ChunkRecipesTest {

    @TempDir
    Path tmp;

    @Test
    void manyRecipesAtOnceAreTheRecordedOnesWithTheirChunksInOrder() {
        try (Library library = Library.open(tmp.resolve("data"))) {
            byte[] a = "first part".getBytes(StandardCharsets.UTF_8);
            byte[] b = "second part".getBytes(StandardCharsets.UTF_8);
            ChunkRef ra = new ChunkRef(Hashes.sha256Hex(a), a.length);
            ChunkRef rb = new ChunkRef(Hashes.sha256Hex(b), b.length);
            library.chunks().putChunks(List.of(ra, rb), List.of(a, b));
            // Chunks listed out of hash order, and one twice: order and repeats must survive.
            FileRecipe two = new FileRecipe("1".repeat(64), a.length + 2L * b.length, List.of(rb, ra, rb));
            FileRecipe empty = new FileRecipe(Hashes.sha256Hex(new byte[0]), 0, List.of());
            library.chunks().putRecipes(List.of(two, empty));

            Map<String, FileRecipe> found = library.chunks().recipes(List.of(two.fileHash(), "2".repeat(64),
                    empty.fileHash(), two.fileHash()));

            assertThat(found).containsOnlyKeys(two.fileHash(), empty.fileHash());
            assertThat(found.get(two.fileHash())).isEqualTo(two);
            assertThat(found.get(empty.fileHash())).isEqualTo(empty);
            assertThat(library.chunks().recipe(two.fileHash())).contains(two);
            assertThat(library.chunks().recipe(empty.fileHash())).contains(empty);
            assertThat(library.chunks().recipe("2".repeat(64))).isEmpty();
        }
    }
}
