package org.offlinecommons.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.Jobs;
import org.offlinecommons.job.JobState;
import org.offlinecommons.pack.LibrarySnapshot;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;

/** Writing packs to a stick: checked before, read back after, importable elsewhere. */
class DriveExportTest {

    @TempDir
    static Path shared;
    static Library library;
    static DriveExporter exporter;

    @TempDir
    Path tmp;

    @BeforeAll
    static void installThreePacks() throws Exception {
        library = Library.open(shared.resolve("data"));
        PackImporter importer = new PackImporter(library);
        for (String id : List.of("garden", "river", "stars")) {
            importer.importPack(DriveFixtures.pack(shared, id, 1, shared.resolve(id + ".zip")), ProgressListener.NONE);
        }
        exporter = new DriveExporter(library, Disks.SYSTEM);
    }

    @AfterAll
    static void close() {
        library.close();
    }

    @Test
    void exportedPacksImportIntoAnEmptyServerAsTheSamePacks() throws Exception {
        Path folder = tmp.resolve("STICK/offline-commons");
        long[] last = {0, 0};
        List<DriveExporter.Written> written = exporter.export(List.of("garden", "river", "stars"), folder,
                (done, total) -> {
                    assertThat(done).isGreaterThanOrEqualTo(last[0]).isLessThanOrEqualTo(total);
                    last[0] = done;
                    last[1] = total;
                });
        assertThat(written).extracting(w -> w.file().getFileName().toString())
                .containsExactly("garden-v1.zip", "river-v1.zip", "stars-v1.zip");
        assertThat(written).noneMatch(DriveExporter.Written::alreadyThere);
        assertThat(last[0]).isEqualTo(last[1]).isPositive();
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .as("no temporary files left").containsExactly("garden-v1.zip", "river-v1.zip", "stars-v1.zip");
        }
        // The zips are the same bytes a plain export gives: exports are deterministic.
        Path plain = tmp.resolve("plain.zip");
        new org.offlinecommons.pack.PackExporter(library).export("river", plain, ProgressListener.NONE);
        assertThat(Files.readAllBytes(folder.resolve("river-v1.zip"))).isEqualTo(Files.readAllBytes(plain));

        try (Library other = Library.open(tmp.resolve("other-server"));
             JobRunner jobs = new JobRunner()) {
            Drives otherDrives = new Drives(other, DriveSettings.of(tmp.resolve("other-server")));
            List<Path> found = otherDrives.packsIn(tmp.resolve("STICK")).stream().map(FoundPack::file).toList();
            assertThat(found).hasSize(3);
            List<DriveImports.Started> started = new DriveImports(otherDrives, jobs).start(found);
            Jobs.awaitAll(jobs, started.stream().map(s -> s.job().id()).toList());
            assertThat(started).allSatisfy(s -> assertThat(s.job().status().state()).isEqualTo(JobState.SUCCEEDED));
            assertThat(LibrarySnapshot.of(other)).isEqualTo(LibrarySnapshot.of(library));
        }
    }

    @Test
    void anIntactCopyIsKeptAndADamagedOneIsRewritten() throws Exception {
        Path folder = tmp.resolve("STICK");
        exporter.export(List.of("garden", "river"), folder, ProgressListener.NONE);
        Path garden = folder.resolve("garden-v1.zip");
        Path river = folder.resolve("river-v1.zip");
        byte[] good = Files.readAllBytes(river);
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        Files.setLastModifiedTime(garden, old);
        // A stick that lost a byte in the middle of the media file: same size, wrong content.
        try (FileChannel ch = FileChannel.open(river, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x55, 0x55}), good.length / 2);
        }
        Files.writeString(folder.resolve(".river-v1.zip123.part"), "left by an export that was cut off");

        List<DriveExporter.Written> again = exporter.export(List.of("garden", "river"), folder, ProgressListener.NONE);
        assertThat(again).extracting(DriveExporter.Written::alreadyThere).containsExactly(true, false);
        assertThat(Files.getLastModifiedTime(garden)).isEqualTo(old);
        assertThat(Files.readAllBytes(river)).isEqualTo(good);
        assertThat(folder.resolve(".river-v1.zip123.part")).doesNotExist();
    }

    @Test
    void aPackTooBigForTheDrivesFileSystemIsRefusedWithTheReason() throws Exception {
        Path folder = tmp.resolve("STICK");
        // A FAT32 drive whose limit is scaled down, so that a small pack can stand for a 5 GB one.
        Disks fat = path -> new Disks.Disk("vfat", 1L << 30, 1L << 30, 100_000);
        DriveExporter toFat = new DriveExporter(library, fat);
        assertThatThrownBy(() -> toFat.export(List.of("stars"), folder, ProgressListener.NONE))
                .isInstanceOf(PackException.class)
                .satisfies(e -> assertThat(((PackException) e).reason()).isEqualTo(PackException.Reason.NO_SPACE))
                .hasMessageStartingWith(folder + ": pack 'stars' is 150 KB, but this drive uses the FAT32 file system,"
                        + " which cannot hold a file of 4 GiB (4.29 GB) or more. Reformat the drive as exFAT")
                .hasMessageContaining("mirror tree");
        assertThat(folder).doesNotExist();
        PackRecord stars = library.catalog().pack("stars").orElseThrow();
        assertThat(toFat.tooBigFor(stars, folder, fat.of(folder)))
                .as("the same reason, for warning before anything is asked")
                .hasValueSatisfying(e -> assertThat(e).hasMessageStartingWith(folder + ": pack 'stars' is 150 KB,"
                        + " but this drive uses the FAT32 file system"));
        assertThat(toFat.tooBigFor(stars, folder, Disks.Disk.of("vfat", 1L << 30, 1L << 30))).isEmpty();
        assertThat(Disks.Disk.of("vfat", 0, 0).maxFileBytes()).isEqualTo((1L << 32) - 1);
        assertThat(Disks.Disk.of("exfat", 0, 0).maxFileBytes()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aDriveWithoutRoomIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("STICK"));
        Disks small = path -> Disks.Disk.of("exfat", 300_000, 8_000_000);
        assertThatThrownBy(() -> new DriveExporter(library, small).export(List.of("garden", "river"), folder,
                ProgressListener.NONE))
                .isInstanceOf(PackException.class)
                .satisfies(e -> assertThat(((PackException) e).reason()).isEqualTo(PackException.Reason.NO_SPACE))
                .hasMessageMatching(java.util.regex.Pattern.quote(folder.toString())
                        + ": writing these 2 packs needs about 1\\.\\d MB of free space, but only 300 KB is free on"
                        + " that drive");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void unknownPacksAndBadTargetsAreRefused() throws Exception {
        assertThatThrownBy(() -> exporter.export(List.of("garden", "nope"), tmp.resolve("x"), ProgressListener.NONE))
                .hasMessage("pack 'nope' is not installed");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThatThrownBy(() -> exporter.export(List.of("garden"), file, ProgressListener.NONE))
                .hasMessage(file + ": is a file, not a folder");
        assertThat(tmp.resolve("x")).doesNotExist();
        List<String> none = new ArrayList<>();
        assertThatThrownBy(() -> exporter.export(none, tmp.resolve("x"), ProgressListener.NONE))
                .hasMessage("Choose at least one pack to export");
    }
}
