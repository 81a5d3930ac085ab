package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobOrderedEntriesTest {

    @TempDir
    Path tmp;

    /** Entries in path order point to blobs anywhere: read back by cluster, then blob, each entry once. */
    private void sortsByBlob(int count) throws Exception {
        Random random = new Random(count);
        int[] cluster = new int[count];
        int[] blob = new int[count];
        try (BlobOrderedEntries entries = new BlobOrderedEntries(tmp)) {
            for (int e = 0; e < count; e++) {
                cluster[e] = random.nextInt(Math.max(1, count / 50));
                blob[e] = random.nextInt(100);
                entries.add(cluster[e], blob[e], e);
            }
            BlobOrderedEntries.Cursor cursor = entries.sorted();
            boolean[] seen = new boolean[count];
            long previous = -1;
            int previousEntry = -1;
            for (int i = 0; i < count; i++) {
                long key = cursor.nextKey();
                int e = cursor.take();
                assertThat(seen[e]).as("entry %d read twice", e).isFalse();
                seen[e] = true;
                assertThat(key).isEqualTo(((long) cluster[e] << 32) | blob[e]);
                assertThat(key).isGreaterThanOrEqualTo(previous);
                if (key == previous) {
                    assertThat(e).as("entries of one blob stay in path order").isGreaterThan(previousEntry);
                }
                previous = key;
                previousEntry = e;
            }
            assertThat(cursor.nextKey()).isEqualTo(Long.MAX_VALUE);
            boolean[] all = new boolean[count];
            Arrays.fill(all, true);
            assertThat(seen).isEqualTo(all);
        }
        try (var left = Files.list(tmp)) {
            assertThat(left).as("run files are removed").isEmpty();
        }
    }

    @Test
    void sortsInMemory() throws Exception {
        sortsByBlob(10_000);
    }

    @Test
    void sortsMoreThanARunThroughFilesOnDisk() throws Exception {
        sortsByBlob(600_000);
    }

    @Test
    void aCursorSaysWhetherItStandsAtABlob() throws Exception {
        try (BlobOrderedEntries entries = new BlobOrderedEntries(tmp)) {
            entries.add(3, 1, 10);
            entries.add(0, 7, 11);
            entries.add(3, 1, 12);
            BlobOrderedEntries.Cursor cursor = entries.sorted();
            assertThat(cursor.at(0, 6)).isFalse();
            assertThat(cursor.at(0, 7)).isTrue();
            assertThat(cursor.take()).isEqualTo(11);
            assertThat(cursor.at(3, 1)).isTrue();
            assertThat(cursor.take()).isEqualTo(10);
            assertThat(cursor.take()).isEqualTo(12);
            assertThat(cursor.at(3, 1)).isFalse();
        }
    }
}
