package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;

/**
 * A pack damaged near the end of its large file is refused after most of it was stored: what
 * it stored goes at once, and library.db (with its WAL) stays within 5 MB of its size before.
 */
class RefusedImportTest {

    @TempDir
    Path tmp;

    @Test
    void aRefusedImportGivesItsSpaceBackAtOnce() throws IOException {
        refusedImportLeavesTheLibraryItsSize(tmp, 40L << 20);
    }

    static void refusedImportLeavesTheLibraryItsSize(Path tmp, long bigBytes) throws IOException {
        Path small = tmp.resolve("small");
        PackFixtures.write(small, "index.html", "<!doctype html><title>Small</title><p>Hello");
        Path smallZip = tmp.resolve("small.zip");
        PackFixtures.build(small, "small", "Small", smallZip);
        Path big = tmp.resolve("big");
        PackFixtures.write(big, "index.html", "<!doctype html><title>Big</title><p>A film");
        PackFixtures.writeRandom(big, "film.mp4", bigBytes, 11);
        Path bigZip = tmp.resolve("big.zip");
        PackFixtures.build(big, "big", "Big", bigZip);
        Files.delete(big.resolve("film.mp4"));
        // Damage near the end of the film, so that nearly all of it is stored before the check fails.
        try (RandomAccessFile f = new RandomAccessFile(bigZip.toFile(), "rw")) {
            long at = f.length() - f.length() / 20;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xff);
        }
        Path data = tmp.resolve("data");
        try (Library library = Library.open(data)) {
            new PackImporter(library).importPack(smallZip, ProgressListener.NONE);
            library.reclaimSpace();
            long before = libraryBytes(data);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> new PackImporter(library).importPack(bigZip, ProgressListener.NONE))
                        .isInstanceOf(PackException.class).hasMessageContaining("film.mp4");
                assertThat(libraryBytes(data)).as("library.db and its WAL after refusal " + (i + 1))
                        .isLessThan(before + (5L << 20));
            }
            assertThat(library.catalog().packs()).extracting(PackRecord::id).containsExactly("small");
            assertThat(library.chunks().storedBytes()).isLessThan(1L << 20);
        }
    }

    private static long libraryBytes(Path data) throws IOException {
        long total = Files.size(data.resolve("library.db"));
        Path wal = data.resolve("library.db-wal");
        return total + (Files.exists(wal) ? Files.size(wal) : 0);
    }
}
