package org.offlinecommons.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Library;

/** Finding drives and the packs on them: where it looks, and where it does not. */
class DriveScanTest {

    @TempDir
    Path tmp;
    Library library;

    @BeforeEach
    void open() {
        library = Library.open(tmp.resolve("data"));
    }

    @AfterEach
    void close() {
        library.close();
    }

    @Test
    void drivesAreFoundAtTheirMountDepthAndFoldersHoldingDrivesAreNotDrives() throws Exception {
        // Like /media (udisks: /media/USER/LABEL; older systems: /media/LABEL) and /run/media/USER/LABEL.
        Path media = Files.createDirectories(tmp.resolve("media"));
        Files.createDirectories(media.resolve("ana/STICK"));
        Files.createDirectories(media.resolve("ana/CAMERA"));
        Files.createDirectories(media.resolve("usb0"));
        Files.createDirectories(media.resolve(".hidden/X"));
        Path runMedia = Files.createDirectories(tmp.resolve("run-media/ben/DISK"));
        Drives drives = new Drives(library, new DriveSettings(tmp.resolve("data/inbox"), List.of(
                new MountRoot(media, 1), new MountRoot(media, 2), new MountRoot(tmp.resolve("run-media"), 2),
                new MountRoot(tmp.resolve("not-there"), 1)), 0, DriveSettings.DEFAULT_SETTLE,
                org.offlinecommons.pack.PackLimits.DEFAULT));
        assertThat(drives.drives()).extracting(d -> tmp.toRealPath().relativize(d.path()).toString())
                .containsExactly("data/inbox", "media/ana/CAMERA", "media/ana/STICK", "media/usb0", "run-media/ben/DISK");
        assertThat(drives.drives().get(0).inbox()).isTrue();
        assertThat(drives.drives().get(4).label()).isEqualTo("DISK");
        assertThat(runMedia).isDirectory();
    }

    @Test
    void packsAreLookedForAFewLevelsDownSkippingHiddenAndSystemFiles() throws Exception {
        Path media = Files.createDirectories(tmp.resolve("media"));
        Path stick = Files.createDirectories(media.resolve("STICK"));
        DriveFixtures.pack(tmp, "top", 1, stick.resolve("top.ZIP"));
        DriveFixtures.pack(tmp, "deep", 1, stick.resolve("a/b/deep.zip"));
        DriveFixtures.pack(tmp, "deeper", 1, stick.resolve("a/b/c/too-deep.zip"));
        DriveFixtures.notAZip(stick.resolve("._top.zip"));
        DriveFixtures.notAZip(stick.resolve(".top.zip.part"));
        DriveFixtures.pack(tmp, "trash", 1, stick.resolve(".Trash-1000/files/old.zip"));
        DriveFixtures.pack(tmp, "windows", 1, stick.resolve("System Volume Information/x.zip"));
        DriveFixtures.pack(tmp, "recycled", 1, stick.resolve("$RECYCLE.BIN/y.zip"));
        Files.writeString(stick.resolve("notes.txt"), "not a pack");

        Drives drives = new Drives(library, DriveSettings.of(tmp.resolve("data")).withMountRoots(List.of(media)));
        DriveReport report = drives.scan().get(1);
        assertThat(report.packs()).extracting(p -> stick.toRealPath().relativize(p.file()).toString())
                .containsExactly("a/b/deep.zip", "top.ZIP");
        assertThat(report.partial()).isFalse();
        assertThat(report.freeBytes()).isPositive();
    }

    @Test
    void theServersOwnDataFolderIsNeverTakenForADrive() throws Exception {
        // A data folder kept on a disk mounted under /mnt, say: its inbox is the inbox, nothing more.
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        Path dataDir = mnt.resolve("data");
        try (Library onMnt = Library.open(dataDir)) {
            DriveFixtures.pack(tmp, "garden", 1, dataDir.resolve("inbox/garden.zip"));
            DriveFixtures.pack(tmp, "river", 1, mnt.resolve("stick/river.zip"));
            Drives drives = new Drives(onMnt, DriveSettings.of(dataDir).withMountRoots(List.of(mnt)));
            List<DriveReport> reports = drives.scan();
            assertThat(reports).extracting(r -> r.drive().label()).containsExactly("Inbox", "stick");
            assertThat(reports.get(0).packs()).extracting(FoundPack::fileName).containsExactly("garden.zip");
            assertThat(reports.get(1).packs()).extracting(FoundPack::fileName).containsExactly("river.zip");
        }
    }

    @Test
    void exportTargetsMustBeOnADrive() throws Exception {
        Path media = Files.createDirectories(tmp.resolve("media"));
        Path stick = Files.createDirectories(media.resolve("STICK")).toRealPath();
        Drives drives = new Drives(library, DriveSettings.of(tmp.resolve("data")).withMountRoots(List.of(media)));
        assertThat(drives.folderOnDrive(stick.toString())).isEqualTo(stick);
        assertThat(drives.folderOnDrive(stick + "/new/folder")).isEqualTo(stick.resolve("new/folder"));
        assertThat(stick.resolve("new")).doesNotExist();
        assertThatThrownBy(() -> drives.folderOnDrive(stick + "/../../elsewhere"))
                .hasMessageEndingWith(": is not a drive or a folder on one");
        assertThatThrownBy(() -> drives.folderOnDrive(tmp.resolve("data/inbox").toString()))
                .hasMessageEndingWith(": is not a drive or a folder on one");
        assertThatThrownBy(() -> drives.folderOnDrive("STICK"))
                .hasMessage("STICK: must be a full path, such as one /api/v1/drives lists");
        Files.writeString(stick.resolve("file"), "x");
        assertThatThrownBy(() -> drives.folderOnDrive(stick.resolve("file").toString()))
                .hasMessageEndingWith(": is a file, not a folder");
    }

    @Test
    void sizesAreReadAsAdminsWriteThem() {
        assertThat(ByteSize.parse("0")).isZero();
        assertThat(ByteSize.parse("64MiB")).isEqualTo(64L << 20);
        assertThat(ByteSize.parse("500MB")).isEqualTo(500_000_000L);
        assertThat(ByteSize.parse("1.5 GB")).isEqualTo(1_500_000_000L);
        assertThat(ByteSize.parse("2g")).isEqualTo(2_000_000_000L);
        assertThat(ByteSize.parse("4096")).isEqualTo(4096);
        assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessage("'lots' is not a size; write it like 500MB, 2GB or"
                + " 64MiB");
        assertThatThrownBy(() -> ByteSize.parse("5iB")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteSize.parse("-1MB")).isInstanceOf(IllegalArgumentException.class);
    }
}
