package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bulk writes with the WAL checkpointed beside them: everything lands, and the WAL stays bounded. */
class WalCheckpointsTest {

    @TempDir
    Path tmp;

    private static final int CHUNK = 256 * 1024;

    @Test
    void bulkWritesLandWhileTheWalIsRewoundInsteadOfGrowingWithThem() throws Exception {
        try (Library library = Library.open(tmp)) {
            Database db = library.database();
            Path wal = Path.of(db.file() + "-wal");
            Random random = new Random(8);
            List<ChunkRef> all = new ArrayList<>();
            long maxWal = 0;
            // 4 frames of 64 KiB per chunk, 4 chunks per write: the WAL is rewound every ~4 writes.
            try (WriteBehind writer = new WriteBehind("test-writer", 2, new WalCheckpoints(db, "test-ckpt", 8, 16))) {
                assertThat(autoCheckpointPages(db)).as("the writer connection leaves checkpoints to the thread").isZero();
                for (int w = 0; w < 40; w++) {
                    List<ChunkRef> refs = new ArrayList<>();
                    List<byte[]> data = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        byte[] b = new byte[CHUNK];
                        random.nextBytes(b);
                        refs.add(new ChunkRef(Hashes.sha256Hex(b), b.length));
                        data.add(b);
                    }
                    all.addAll(refs);
                    writer.submit(() -> library.chunks().putChunks(refs, data));
                    maxWal = Math.max(maxWal, Files.exists(wal) ? Files.size(wal) : 0);
                }
                writer.finish();
            }
            assertThat(library.chunks().missing(all.stream().map(ChunkRef::hash).toList())).isEmpty();
            assertThat(library.chunks().storedBytes()).isEqualTo(40L * 4 * CHUNK);
            // 40 MiB were written; rewinding keeps the WAL to a few writes of them.
            assertThat(maxWal).isLessThan(16L << 20);
            assertThat(Files.size(wal)).isLessThan(16L << 20);
            assertThat(autoCheckpointPages(db)).as("the writer connection checkpoints by itself again").isPositive();
        }
    }

    @Test
    void aFailedWriteIsReportedAndClosingTwiceIsHarmless() {
        try (Library library = Library.open(tmp)) {
            WriteBehind writer = library.chunks().bulkWriter("test-writer", 2);
            writer.submit(() -> {
                throw new StoreException("disk on fire", null);
            });
            assertThatThrownBy(writer::finish).hasMessageContaining("disk on fire");
            writer.close();
            writer.close();
            assertThat(autoCheckpointPages(library.database())).isPositive();
            library.putSetting("still", "writable");
            assertThat(library.setting("still")).contains("writable");
        }
    }

    private static long autoCheckpointPages(Database db) {
        return db.write(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_autocheckpoint")) {
                return rs.getLong(1);
            }
        });
    }
}
