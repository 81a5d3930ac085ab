package org.offlinecommons.drive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.LibrarySnapshot;
import org.offlinecommons.cli.CliTest;
import org.offlinecommons.cli.CliTest.Run;
import org.offlinecommons.store.Library;

/** The drive commands as an admin types them: real folders, zips and libraries. */
class DriveCliTest {

    @TempDir
    Path tmp;

    static Run run(String... args) {
        return CliTest.run(args);
    }

    @Test
    void drivesListsEachDriveAndThePacksOnIt() throws Exception {
        String data = tmp.resolve("data").toString();
        Path stick = Files.createDirectories(tmp.resolve("media/STICK"));
        Path garden = DriveFixtures.pack(tmp, "garden", 1, stick.resolve("packs/garden.zip"));
        DriveFixtures.notAZip(stick.resolve("photos.zip"));
        assertThat(run("import", garden.toString(), "--data", data).code()).isZero();
        DriveFixtures.pack(tmp, "river", 2, tmp.resolve("data/inbox/river.zip"));

        Run r = run("drives", "--drives", tmp.resolve("media").toString(), "--data", data);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Inbox " + tmp.resolve("data/inbox").toRealPath());
        assertThat(r.out()).containsPattern("  NEW +river.zip: 'river' version 2, Pack river, 150 KB \\(not installed\\)");
        assertThat(r.out()).contains(stick.toRealPath().toString());
        assertThat(r.out()).containsPattern("  INSTALLED +packs/garden.zip: 'garden' version 1, Pack garden, 150 KB"
                + " \\(already installed\\)");
        assertThat(r.out()).contains("  INVALID   photos.zip: is not a readable zip file: it is not a zip at all");
        assertThat(run("drives", "--help").out()).contains("Usage: offline-commons drives");
    }

    @Test
    void importFromDriveTakesTheNewAndNewerAndReportsTheRest() throws Exception {
        String data = tmp.resolve("data").toString();
        Path stick = Files.createDirectories(tmp.resolve("STICK"));
        Path v1 = DriveFixtures.pack(tmp, "garden", 1, tmp.resolve("garden-1.zip"));
        assertThat(run("import", v1.toString(), "--data", data).code()).isZero();
        DriveFixtures.pack(tmp, "garden", 2, stick.resolve("garden-2.zip"));
        Files.copy(v1, stick.resolve("garden-1.zip"));
        DriveFixtures.pack(tmp, "river", 1, stick.resolve("more/river.zip"));
        DriveFixtures.notAZip(stick.resolve("photos.zip"));

        Run r = run("import", "--from-drive", stick.toString(), "--data", data);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("garden-2.zip: updated 'garden' to version 2")
                .contains("river.zip: imported 'river' version 1")
                .contains("garden-1.zip: skipped, older than the installed version 2");
        assertThat(r.err()).contains(stick.toRealPath() + "/photos.zip: is not a readable zip file: it is not a zip"
                + " at all");
        try (Library library = Library.open(tmp.resolve("data"))) {
            assertThat(library.catalog().pack("garden").orElseThrow().version()).isEqualTo(2);
            assertThat(library.catalog().pack("river")).isPresent();
        }
        Run again = run("import", "--from-drive", stick.toString(), "--data", data);
        assertThat(again.out()).contains("'river' version 1 is already installed; nothing to do");

        Run nothing = run("import", "--data", data);
        assertThat(nothing.code()).isEqualTo(2);
        assertThat(nothing.err()).contains("to import, or --from-drive PATH");
        Run badReserve = run("import", v1.toString(), "--reserve", "lots", "--data", data);
        assertThat(badReserve.code()).isEqualTo(2);
        assertThat(badReserve.err()).contains("--reserve: 'lots' is not a size");
    }

    @Test
    void exportToAFolderThenImportItIntoAnEmptyServer() throws Exception {
        String data = tmp.resolve("data").toString();
        for (String id : new String[] {"garden", "river"}) {
            Path zip = DriveFixtures.pack(tmp, id, 1, tmp.resolve(id + ".zip"));
            assertThat(run("import", zip.toString(), "--data", data).code()).isZero();
        }
        Path stick = tmp.resolve("STICK");
        Run export = run("export", "garden", "river", "--to", stick.toString(), "--data", data);
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(export.out()).contains(stick.resolve("garden-v1.zip") + ": written ('garden' version 1");
        assertThat(export.out()).contains("read back and checked");

        String other = tmp.resolve("other").toString();
        Run imported = run("import", "--from-drive", stick.toString(), "--data", other);
        assertThat(imported.code()).as(imported.err()).isZero();
        try (Library a = Library.open(tmp.resolve("data")); Library b = Library.open(tmp.resolve("other"))) {
            assertThat(LibrarySnapshot.of(b)).isEqualTo(LibrarySnapshot.of(a));
        }

        Run twoToOneFile = run("export", "garden", "river", "--out", tmp.resolve("x.zip").toString(), "--data", data);
        assertThat(twoToOneFile.code()).isEqualTo(2);
        assertThat(twoToOneFile.err()).contains("--out writes one pack");
        Run neither = run("export", "garden", "--data", data);
        assertThat(neither.code()).isEqualTo(2);
        assertThat(neither.err()).contains("Missing required argument");
    }
}
