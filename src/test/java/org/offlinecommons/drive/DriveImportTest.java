package org.offlinecommons.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.pack.LibrarySnapshot;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;

/** Importing from a stick: what is listed, what goes in, what is refused and why. */
class DriveImportTest {

    @TempDir
    Path tmp;
    Path media;
    Library library;
    JobRunner jobs;
    Drives drives;
    DriveImports imports;

    @BeforeEach
    void open() throws IOException {
        media = Files.createDirectories(tmp.resolve("media"));
        library = Library.open(tmp.resolve("data"));
        jobs = new JobRunner();
        drives = new Drives(library, DriveSettings.of(tmp.resolve("data")).withMountRoots(List.of(media)));
        imports = new DriveImports(drives, jobs);
    }

    @AfterEach
    void close() {
        jobs.close();
        library.close();
    }

    @Test
    void aStickWithThreeGoodPacksAndTwoBadOnes() throws Exception {
        assertThat(drives.scan()).singleElement().satisfies(r -> {
            assertThat(r.drive().inbox()).isTrue();
            assertThat(r.packs()).isEmpty();
        });

        // The stick is filled elsewhere and appears all at once, as mounting it would.
        Path stick = tmp.resolve("stick");
        Path garden = DriveFixtures.pack(tmp, "garden", 1, stick.resolve("garden.zip"));
        Path river = DriveFixtures.pack(tmp, "river", 2, stick.resolve("packs/river.zip"));
        Path stars = DriveFixtures.pack(tmp, "stars", 1, stick.resolve("packs/science/stars.zip"));
        DriveFixtures.notAZip(stick.resolve("photos.zip"));
        DriveFixtures.tampered(tmp, "tampered", stick.resolve("packs/tampered.zip"));
        Files.move(stick, media.resolve("STICK"));
        Path onStick = media.resolve("STICK").toRealPath();

        DriveReport report = drives.scan().get(1);
        assertThat(report.drive().label()).isEqualTo("STICK");
        assertThat(report.drive().path()).isEqualTo(onStick);
        Map<String, FoundPack> found = new HashMap<>();
        report.packs().forEach(p -> found.put(onStick.relativize(p.file()).toString(), p));
        assertThat(found).containsOnlyKeys("garden.zip", "photos.zip", "packs/river.zip",
                "packs/science/stars.zip", "packs/tampered.zip");
        assertThat(found.get("garden.zip").state()).isEqualTo(PackState.NEW);
        assertThat(found.get("packs/river.zip")).satisfies(p -> {
            assertThat(p.state()).isEqualTo(PackState.NEW);
            assertThat(p.packId()).isEqualTo("river");
            assertThat(p.version()).isEqualTo(2);
        });
        assertThat(found.get("photos.zip").state()).isEqualTo(PackState.INVALID);
        assertThat(found.get("photos.zip").detail()).isEqualTo("photos.zip: is not a readable zip file: it is not a"
                + " zip at all");
        // Its damage only shows while its bytes are read: the listing cannot know yet.
        assertThat(found.get("packs/tampered.zip").state()).isEqualTo(PackState.NEW);

        // Asking for all five starts none, and says which one and why.
        List<Path> all = report.packs().stream().map(FoundPack::file).toList();
        assertThatThrownBy(() -> imports.start(all))
                .isInstanceOf(PackException.class)
                .hasMessageContaining("photos.zip: is not a readable zip file");
        assertThat(jobs.recent()).isEmpty();

        Map<String, String> expected = referenceDigests(garden, river, stars);
        List<DriveImports.Started> started = imports.start(all.stream()
                .filter(p -> !p.getFileName().toString().equals("photos.zip")).toList());
        assertThat(started).hasSize(4);
        // While the imports run, every pack the library shows is whole and is one of the good ones.
        while (started.stream().anyMatch(s -> !s.job().status().state().finished())) {
            for (PackRecord p : library.catalog().packs()) {
                assertThat(expected).containsKey(p.id());
                assertThat(DriveFixtures.packDigest(library, p.id())).isEqualTo(expected.get(p.id()));
            }
            Thread.sleep(5);
        }
        Map<String, JobStatus> outcomes = new HashMap<>();
        started.forEach(s -> outcomes.put(s.pack().packId(), s.job().status()));
        assertThat(outcomes.get("garden").state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(outcomes.get("garden").message()).isEqualTo("garden.zip: imported 'garden' version 1 (150 KB)");
        assertThat(outcomes.get("river").state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(outcomes.get("stars").state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(outcomes.get("tampered").state()).isEqualTo(JobState.FAILED);
        assertThat(outcomes.get("tampered").error()).isEqualTo("tampered.zip: zip entry 'index.html' does not match"
                + " its sha256 in pack.json (the file is damaged or was changed)");

        try (Library reference = Library.open(tmp.resolve("reference"))) {
            PackImporter importer = new PackImporter(reference);
            for (Path p : List.of(garden, river, stars)) {
                importer.importPack(media.resolve("STICK").resolve(tmp.resolve("stick").relativize(p)),
                        ProgressListener.NONE);
            }
            assertThat(LibrarySnapshot.of(library)).isEqualTo(LibrarySnapshot.of(reference));
        }
        Map<String, PackState> after = new HashMap<>();
        drives.scan().get(1).packs().forEach(p -> after.put(p.fileName(), p.state()));
        assertThat(after).containsEntry("garden.zip", PackState.INSTALLED).containsEntry("river.zip",
                PackState.INSTALLED).containsEntry("stars.zip", PackState.INSTALLED)
                .containsEntry("photos.zip", PackState.INVALID);
    }

    @Test
    void statesCompareWithTheInstalledVersion() throws Exception {
        Path stick = Files.createDirectories(media.resolve("STICK"));
        Path v2 = DriveFixtures.pack(tmp, "garden", 2, tmp.resolve("v2.zip"));
        new PackImporter(library).importPack(v2, ProgressListener.NONE);
        Files.copy(v2, stick.resolve("same.zip"));
        DriveFixtures.settled(stick.resolve("same.zip"));
        DriveFixtures.pack(tmp, "garden", 1, stick.resolve("older.zip"));
        DriveFixtures.pack(tmp, "garden", 3, stick.resolve("newer.zip"));
        DriveFixtures.changed(tmp, "garden", 2, stick.resolve("changed.zip"));

        Map<String, FoundPack> found = new HashMap<>();
        drives.scan().get(1).packs().forEach(p -> found.put(p.fileName(), p));
        assertThat(found.get("same.zip").state()).isEqualTo(PackState.INSTALLED);
        assertThat(found.get("older.zip").state()).isEqualTo(PackState.OLDER);
        assertThat(found.get("older.zip").installedVersion()).isEqualTo(2);
        assertThat(found.get("newer.zip").state()).isEqualTo(PackState.NEWER);
        assertThat(found.get("newer.zip").detail()).isEqualTo("newer than the installed version 2");
        assertThat(found.get("changed.zip").state()).isEqualTo(PackState.INVALID);
        assertThat(found.get("changed.zip").detail()).isEqualTo("changed.zip: pack 'garden' version 2 is already"
                + " installed with different content; a changed pack needs a higher version number");

        String before = LibrarySnapshot.of(library);
        assertThatThrownBy(() -> imports.start(List.of(found.get("older.zip").file())))
                .isInstanceOf(PackException.class)
                .satisfies(e -> assertThat(((PackException) e).reason()).isEqualTo(PackException.Reason.CONFLICT))
                .hasMessage("older.zip: pack 'garden' version 1 is older than the installed version 2; nothing was"
                        + " changed");
        assertThatThrownBy(() -> imports.start(List.of(found.get("newer.zip").file(), found.get("same.zip").file())))
                .hasMessage("newer.zip and same.zip both hold pack 'garden'; choose one");
        assertThat(LibrarySnapshot.of(library)).isEqualTo(before);
    }

    @Test
    void aFileStillBeingWrittenIsListedAsCopyingNotRead() throws Exception {
        Path stick = Files.createDirectories(media.resolve("STICK"));
        Path zip = DriveFixtures.pack(tmp, "garden", 1, tmp.resolve("garden.zip"));
        byte[] bytes = Files.readAllBytes(zip);
        Files.write(stick.resolve("garden.zip"), java.util.Arrays.copyOf(bytes, bytes.length / 3));
        FoundPack p = drives.scan().get(1).packs().get(0);
        assertThat(p.state()).isEqualTo(PackState.COPYING);
        assertThat(p.detail()).isEqualTo("garden.zip: is still being written; it is read once it has not changed for 5"
                + " seconds");
    }

    @Test
    void importsNeedRoomForAllThePacksPlusTheReserve() throws Exception {
        Path stick = Files.createDirectories(media.resolve("STICK"));
        Path a = DriveFixtures.pack(tmp, "garden", 1, stick.resolve("garden.zip"));
        Path b = DriveFixtures.pack(tmp, "river", 1, stick.resolve("river.zip"));
        // Room for one pack (its chunks, their copy in the WAL, the import's headroom) and the reserve.
        long aBytes = drives.inspect(a).orElseThrow().packBytes();
        long bBytes = drives.inspect(b).orElseThrow().packBytes();
        long free = org.offlinecommons.store.ChunkStore.stagingBytes(aBytes) + 100_000;
        Drives cramped = new Drives(library, drives.settings().withReserve(100_000),
                path -> new Disks.Disk("ext4", free, 1L << 30, Long.MAX_VALUE), java.time.Clock.systemUTC());
        DriveImports tight = new DriveImports(cramped, jobs);
        long needed = org.offlinecommons.store.ChunkStore.stagingBytes(aBytes + bBytes) + 100_000;
        assertThatThrownBy(() -> tight.start(List.of(a, b)))
                .isInstanceOf(PackException.class)
                .satisfies(e -> assertThat(((PackException) e).reason()).isEqualTo(PackException.Reason.NO_SPACE))
                .hasMessage("Importing these 2 packs: needs " + org.offlinecommons.pack.Sizes.human(needed)
                        + " of free disk space (the packs with working room plus a reserve of"
                        + " 100 KB), but only " + org.offlinecommons.pack.Sizes.human(free)
                        + " is free; free some space or delete packs");
        assertThat(jobs.recent()).isEmpty();
        DriveImports.Space both = tight.space(cramped.scan().get(1).packs());
        assertThat(both.usableBytes()).isEqualTo(free);
        assertThat(both.reserveBytes()).isEqualTo(100_000);
        assertThat(both.neededBytes()).isEqualTo(needed).isGreaterThan(free);
        assertThat(both.enough()).as("what the page warns about before the admin asks").isFalse();
        assertThat(tight.space(List.of(cramped.inspect(a).orElseThrow())).enough()).isTrue();
        assertThat(tight.start(List.of(a))).hasSize(1);
    }

    @Test
    void onlyFilesOnDrivesCanBeNamed() throws Exception {
        Path stick = Files.createDirectories(media.resolve("STICK"));
        Path zip = DriveFixtures.pack(tmp, "garden", 1, stick.resolve("garden.zip"));
        Path elsewhere = DriveFixtures.pack(tmp, "river", 1, tmp.resolve("private/river.zip"));
        Files.createSymbolicLink(stick.resolve("link.zip"), elsewhere);

        assertThat(drives.packOnDrive(zip.toString())).isEqualTo(zip.toRealPath());
        assertThatThrownBy(() -> drives.packOnDrive(elsewhere.toString()))
                .hasMessage(elsewhere + ": is not on a drive or in the inbox");
        assertThatThrownBy(() -> drives.packOnDrive(stick.resolve("link.zip").toString()))
                .hasMessage(stick.resolve("link.zip") + ": is not on a drive or in the inbox");
        assertThatThrownBy(() -> drives.packOnDrive(stick + "/../../private/river.zip"))
                .hasMessageEndingWith(": is not on a drive or in the inbox");
        assertThatThrownBy(() -> drives.packOnDrive("garden.zip"))
                .hasMessage("garden.zip: must be a full path, such as one /api/v1/drives lists");
        assertThatThrownBy(() -> drives.packOnDrive("/etc/passwd"))
                .hasMessage("/etc/passwd: is not on a drive or in the inbox");
        // The link is not followed when looking either.
        assertThat(drives.scan().get(1).packs()).extracting(FoundPack::fileName).containsExactly("garden.zip");
    }

    private Map<String, String> referenceDigests(Path... zips) throws IOException {
        Map<String, String> digests = new HashMap<>();
        try (Library reference = Library.open(tmp.resolve("per-pack"))) {
            for (Path zip : zips) {
                Path now = media.resolve("STICK").resolve(tmp.resolve("stick").relativize(zip));
                String id = new PackImporter(reference).importPack(now, ProgressListener.NONE).packId();
                digests.put(id, DriveFixtures.packDigest(reference, id));
            }
        }
        return digests;
    }
}
