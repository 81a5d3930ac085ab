package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.StoreException;

class BackupTest {

    @TempDir
    Path tmp;

    @Test
    void aBackupTakenDuringAnImportRestoresToAConsistentLibrary() throws Exception {
        Path small = PackFixtures.build(PackFixtures.smallSite(tmp.resolve("site")), "garden", "Garden",
                tmp.resolve("garden.zip"));
        Path bigFolder = tmp.resolve("big");
        PackFixtures.writeRandom(bigFolder, "video.mp4", 40_000_000, 3);
        Path big = PackFixtures.build(bigFolder, "big", "Big", tmp.resolve("big.zip"));
        Path backup = tmp.resolve("backup.db");
        String gardenSnapshot;
        try (Library library = Library.open(tmp.resolve("data"))) {
            new PackImporter(library).importPack(small, ProgressListener.NONE);
            gardenSnapshot = LibrarySnapshot.of(library);
            CompletableFuture<Void> halfway = new CompletableFuture<>();
            CompletableFuture<ImportResult> importing = CompletableFuture.supplyAsync(() ->
                    new PackImporter(library).importPack(big, (done, total) -> {
                        if (done > total / 2) {
                            halfway.complete(null);
                        }
                    }));
            halfway.get();
            library.backupTo(backup);
            importing.get();
            assertThat(library.catalog().packs()).hasSize(2);
        }
        Path restored = tmp.resolve("restored");
        Library.restore(backup, restored);
        try (Library library = Library.open(restored)) {
            assertThat(library.integrityCheck()).containsExactly("ok");
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
            assertThat(library.catalog().packs()).extracting(PackRecord::id).containsExactly("garden");
            assertThat(LibrarySnapshot.of(library)).isEqualTo(gardenSnapshot);
            // The restored library takes the interrupted import again.
            new PackImporter(library).importPack(big, ProgressListener.NONE);
            assertThat(library.catalog().packs()).hasSize(2);
        }
    }

    @Test
    void aDamagedBackupIsRefusedAndTheLibraryKept() throws Exception {
        Path data = tmp.resolve("data");
        try (Library library = Library.open(data)) {
            new PackImporter(library).importPack(PackFixtures.build(PackFixtures.smallSite(tmp.resolve("s")), "garden",
                    "Garden", tmp.resolve("g.zip")), ProgressListener.NONE);
        }
        Path junk = tmp.resolve("junk.db");
        Files.writeString(junk, "not a database at all, just words");
        assertThatThrownBy(() -> Library.restore(junk, data)).isInstanceOf(StoreException.class)
                .hasMessageContaining("junk.db");
        try (Library library = Library.open(data)) {
            assertThat(library.catalog().packs()).extracting(PackRecord::id).containsExactly("garden");
        }
    }
}
