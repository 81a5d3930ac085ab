package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Hashes;

class PackBuilderTest {

    @TempDir
    Path tmp;

    @Test
    void theSameFolderGivesAByteIdenticalZip() throws IOException {
        Path folder = PackFixtures.smallSite(tmp.resolve("site"));
        PackFixtures.write(folder, "ünïcødé/日本語.txt", "Text in a folder with a UTF-8 name.\n");
        PackFixtures.write(folder, "empty.txt", "");
        Path a = PackFixtures.build(folder, "garden", "Garden", tmp.resolve("a.zip"));
        // Touch every file: modification times must not leak into the zip.
        try (var files = Files.walk(folder)) {
            files.filter(Files::isRegularFile).forEach(p -> p.toFile().setLastModified(1_000_000_000_000L));
        }
        Path b = PackFixtures.build(folder, "garden", "Garden", tmp.resolve("b.zip"));
        assertThat(Hashes.sha256Hex(Files.readAllBytes(a))).isEqualTo(Hashes.sha256Hex(Files.readAllBytes(b)));
    }

    @Test
    void theZipIsAValidPackListingEveryFileAndNoHiddenOnes() throws IOException {
        Path folder = PackFixtures.smallSite(tmp.resolve("site"));
        PackFixtures.write(folder, ".git/config", "secret");
        PackFixtures.write(folder, "sub/.DS_Store", "junk");
        Path zip = PackFixtures.build(folder, "garden", "Garden", tmp.resolve("g.zip"));
        try (PackArchive archive = PackArchive.open(zip)) {
            PackManifest m = archive.manifest();
            assertThat(m.files()).extracting(PackManifest.FileEntry::path)
                    .containsExactly("index.html", "notes/soil.md", "plants/beans.html", "readme.txt");
            assertThat(m.entry()).isEqualTo("index.html");
            assertThat(m.items()).isNotNull().hasSize(4);
        }
    }

    @Test
    void metadataComesFromTheFoldersPackJsonAndOptionsOverrideIt() throws IOException {
        Path folder = PackFixtures.smallSite(tmp.resolve("site"));
        PackFixtures.write(folder, "pack.json", "{\"id\":\"from-file\",\"title\":\"From file\",\"version\":4,"
                + "\"language\":\"fr\",\"license\":\"CC0-1.0\",\"x-custom\":true}");
        PackManifest m = PackBuilder.manifest(folder, new PackBuilder.Options(null, "Overridden", null, null, null,
                null, null, null, null));
        assertThat(m.id()).isEqualTo("from-file");
        assertThat(m.title()).isEqualTo("Overridden");
        assertThat(m.version()).isEqualTo(4);
        assertThat(m.language()).isEqualTo("fr");
        assertThat(m.extra()).containsKey("x-custom");
        assertThat(m.files()).extracting(PackManifest.FileEntry::path).doesNotContain("pack.json");
    }

    @Test
    void aFolderWithoutIdSaysWhatIsMissing() throws IOException {
        Path folder = PackFixtures.smallSite(tmp.resolve("site"));
        assertThatThrownBy(() -> PackFixtures.build(folder, null, "No id", tmp.resolve("x.zip")))
                .isInstanceOf(PackException.class)
                .hasMessage("site: pack metadata: field 'id' is missing");
    }
}
