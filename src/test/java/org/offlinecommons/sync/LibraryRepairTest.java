package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.store.DamagedChunkException;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.ProgressListener;

/**
 * A chunk stored before checksums were kept beside chunks (no CRC: checked against its SHA-256)
 * is damaged; repair from a mirror folder written by another library heals it.
 */
class LibraryRepairTest {

    @TempDir
    Path tmp;

    @Test
    void anOldChunkDamagedIsRefusedByItsSha256_andRepairedFromAMirrorFolder() throws Exception {
        Path media = tmp.resolve("media");
        PackFixtures.writeRandom(media, "clip.mp4", 2_500_000, 9);
        Path dataA = tmp.resolve("a");
        Path mirror = tmp.resolve("stick");
        String chunk;
        try (Library a = Library.open(dataA); Library b = Library.open(tmp.resolve("b"))) {
            SyncFixtures.importFolder(a, media, "media", "Media", 1, tmp);
            SyncFixtures.importFolder(b, media, "media", "Media", 1, tmp);
            FileRecipe clip = a.chunks().recipe(a.catalog().file("media", "clip.mp4").orElseThrow().sha256())
                    .orElseThrow();
            chunk = clip.chunks().get(1).hash();
            new MirrorWriter(b).write(mirror, List.of(), ProgressListener.NONE);
        }
        // As a library of schema 8 stored it (no CRC), then one byte changed on the disk.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataA.resolve("library.db"))) {
            byte[] data;
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM chunk WHERE hash = ?")) {
                ps.setString(1, chunk);
                try (var rs = ps.executeQuery()) {
                    data = rs.getBytes(1);
                }
            }
            data[1000] ^= 1;
            try (PreparedStatement ps = c.prepareStatement("UPDATE chunk SET crc = NULL, data = ? WHERE hash = ?")) {
                ps.setBytes(1, data);
                ps.setString(2, chunk);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
        try (Library a = Library.open(dataA)) {
            assertThatThrownBy(() -> a.chunks().readChunk(chunk)).isInstanceOf(DamagedChunkException.class)
                    .hasMessageContaining(chunk).hasMessageContaining("media/clip.mp4");
            LibraryRepair.Result r = new LibraryRepair(a).repair(LibraryRepair.source(mirror.toString(), null), true,
                    ProgressListener.NONE);
            assertThat(r.damaged()).isEqualTo(1);
            assertThat(r.repaired()).isEqualTo(1);
            assertThat(r.unrepaired()).isEmpty();
            assertThat(a.chunks().readChunk(chunk)).isPresent();
            assertThat(a.chunks().damaged()).isEmpty();
            assertThat(new LibraryVerifier(a).verify(ProgressListener.NONE).ok()).isTrue();
        }
    }
}
