package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.ProgressListener;

/** The same pack imported several times at once: every import succeeds, the pack is there once. */
class ConcurrentImportTest {

    @TempDir
    Path tmp;

    @Test
    void theSamePackImportedAtOnceEndsWellEveryTime() throws Exception {
        Path site = PackFixtures.smallSite(tmp.resolve("site"));
        PackFixtures.writeRandom(site, "clip.bin", 3_000_000, 5);
        Path zip = tmp.resolve("garden.zip");
        PackFixtures.build(site, "garden", "Garden", zip);
        try (Library library = Library.open(tmp.resolve("data"))) {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ImportResult>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return new PackImporter(library).importPack(zip, ProgressListener.NONE);
                }));
            }
            start.countDown();
            List<ImportResult.Outcome> outcomes = new ArrayList<>();
            for (Future<ImportResult> r : results) {
                outcomes.add(r.get().outcome());
            }
            pool.shutdown();
            assertThat(outcomes).contains(ImportResult.Outcome.INSTALLED)
                    .allMatch(o -> o == ImportResult.Outcome.INSTALLED || o == ImportResult.Outcome.UNCHANGED);
            assertThat(library.catalog().packs()).hasSize(1);
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
        }
    }
}
