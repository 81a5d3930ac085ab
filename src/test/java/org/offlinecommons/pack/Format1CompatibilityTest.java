package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.ProgressListener;

/**
 * A format-1 pack written by the release before format 2 (packs/format1-garden.zip, kept as it
 * was written) still imports, and exports to a zip that imports as the very same pack.
 */
class Format1CompatibilityTest {

    @TempDir
    Path tmp;

    @Test
    void aFormatOnePackOfThePreviousReleaseImportsAndExportsUnchanged() throws IOException {
        Path zip = tmp.resolve("format1-garden.zip");
        try (InputStream in = getClass().getResourceAsStream("/packs/format1-garden.zip")) {
            Files.copy(in, zip);
        }
        try (Library library = Library.open(tmp.resolve("data"))) {
            ImportResult r = new PackImporter(library).importPack(zip, ProgressListener.NONE);
            assertThat(r.outcome()).isEqualTo(ImportResult.Outcome.INSTALLED);
            assertThat(library.catalog().format("old-garden")).isEqualTo(1);
            assertThat(library.catalog().items("old-garden")).extracting(Item::title)
                    .containsExactly("Welcome to the garden", "First entry about photosynthesis", "Soil and compost",
                            "Growing beans");
            Path out = tmp.resolve("out.zip");
            new PackExporter(library).export("old-garden", out, ProgressListener.NONE);
            // Exports are written by the one deterministic writer downloads reproduce (docs/pack-format.md,
            // "Exports and downloads"): the same entries and bytes of every file, not the same zip.
            try (Library again = Library.open(tmp.resolve("again"))) {
                assertThat(new PackImporter(again).importPack(out, ProgressListener.NONE).outcome())
                        .isEqualTo(ImportResult.Outcome.INSTALLED);
                assertThat(again.catalog().pack("old-garden").orElseThrow().digest())
                        .isEqualTo(library.catalog().pack("old-garden").orElseThrow().digest());
                assertThat(again.catalog().format("old-garden")).isEqualTo(1);
            }
            Path twice = tmp.resolve("twice.zip");
            new PackExporter(library).export("old-garden", twice, ProgressListener.NONE);
            assertThat(Files.readAllBytes(twice)).isEqualTo(Files.readAllBytes(out));
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
        }
    }
}
