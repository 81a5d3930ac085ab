package org.offlinecommons.drive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.admin.TestClock;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.Jobs;
import org.offlinecommons.store.Library;

/** ZIM files on a stick: listed with their state like zips, the split one by its first part, and auto-imported. */
class DriveZimTest {

    static final Duration SETTLE = Duration.ofSeconds(10);
    static final Path SAMPLES = org.offlinecommons.pack.ZimTestFiles.SAMPLES;

    @TempDir
    Path tmp;
    Path media;
    Library library;
    JobRunner jobs;
    Drives drives;
    final TestClock clock = new TestClock(Instant.now());
    AutoImporter watcher;
    final List<String> started = new CopyOnWriteArrayList<>();
    final List<String> jobIds = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        media = Files.createDirectories(tmp.resolve("media"));
        library = Library.open(tmp.resolve("data"));
        jobs = new JobRunner();
        drives = new Drives(library, DriveSettings.of(tmp.resolve("data")).withMountRoots(List.of(media))
                .withSettle(SETTLE), Disks.SYSTEM, clock);
        watcher = AutoImporter.manual(drives, new DriveImports(drives, jobs), new AutoImporter.Listener() {
            @Override
            public void started(FoundPack pack, DriveImports.Started s) {
                started.add(pack.fileName());
                jobIds.add(s.job().id());
            }

            @Override
            public void refused(FoundPack pack, String why) {
                refused.add(why);
            }
        }, clock::nanos);
    }

    @AfterEach
    void stop() {
        watcher.close();
        jobs.close();
        library.close();
    }

    @Test
    void zimFilesOnAStickAreListedAndImportedAndTheDamagedOneIsReported() throws Exception {
        Path stick = Files.createDirectories(tmp.resolve("stick"));
        Files.copy(SAMPLES.resolve("withns/small.zim"), stick.resolve("small.zim"));
        for (String part : List.of("aa", "ab", "ac")) {
            Files.createDirectories(stick.resolve("wiki"));
            Files.copy(SAMPLES.resolve("nons/wikibooks_be_all_nopic_2017-02_splitted.zim" + part),
                    stick.resolve("wiki/wikibooks_be_all_nopic_2017-02_splitted.zim" + part));
        }
        Files.copy(SAMPLES.resolve("nons/invalid.smaller_than_header.zim"), stick.resolve("broken.zim"));

        List<FoundPack> listed = drives.packsIn(stick);
        assertThat(listed).extracting(FoundPack::fileName).containsExactlyInAnyOrder("small.zim",
                "wikibooks_be_all_nopic_2017-02_splitted.zimaa", "broken.zim");
        assertThat(listed).filteredOn(p -> !p.fileName().equals("broken.zim"))
                .allSatisfy(p -> assertThat(p.state()).isEqualTo(PackState.NEW));
        assertThat(listed).filteredOn(p -> p.fileName().equals("broken.zim"))
                .singleElement().satisfies(p -> assertThat(p.state()).isEqualTo(PackState.INVALID));

        Files.move(stick, media.resolve("STICK"));
        watcher.poll();
        clock.advance(SETTLE.plusSeconds(1));
        watcher.poll();
        clock.advance(Duration.ofSeconds(1));
        for (String id : jobIds) {
            Jobs.await(jobs, id);
        }
        List<String> names = new ArrayList<>(started);
        Collections.sort(names);
        assertThat(names).containsExactly("small.zim", "wikibooks_be_all_nopic_2017-02_splitted.zimaa");
        assertThat(refused).singleElement().asString().startsWith("broken.zim: ");
        assertThat(jobs.recent()).hasSize(2).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
        assertThat(library.catalog().pack("kiwix-wikibooks-be-all")).isPresent();
        assertThat(drives.packsIn(media.resolve("STICK"))).filteredOn(p -> !p.fileName().equals("broken.zim"))
                .allSatisfy(p -> assertThat(p.state()).isEqualTo(PackState.INSTALLED));
    }
}
