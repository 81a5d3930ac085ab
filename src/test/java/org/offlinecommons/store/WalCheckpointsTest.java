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
    void aNewLibraryHasLargePagesAndIncrementalVacuum() throws Exception {
        // The WAL's checkpoint interval, the caches and the reclaim steps are counted in pages of
        // this size; with SQLite's default 4 KiB pages a 1 MiB chunk spans 256 overflow pages.
        try (Library library = Library.open(tmp);
             java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + library.database().file());
             Statement s = c.createStatement()) {
            assertThat(pragma(s, "page_size")).isEqualTo(Database.PAGE_SIZE);
            assertThat(pragma(s, "auto_vacuum")).as("incremental").isEqualTo(2);
        }
    }

    private static long pragma(Statement s, String name) throws Exception {
        try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

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
            // 40 MiB were written; rewinding keeps the WAL to the writes the writer may be ahead
            // (8 of ~1.3 MiB in 64 KiB frames) and a few more, half of them at most.
            assertThat(maxWal).isLessThan(20L << 20);
            assertThat(Files.size(wal)).isLessThan(20L << 20);
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
