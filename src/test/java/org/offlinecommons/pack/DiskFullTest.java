package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.store.SpareSpace;
import org.offlinecommons.web.WebServer;

/**
 * A library on a real 60 MB disk (tmpfs) that fills up during an import: the import fails
 * cleanly, naming the file and the full disk; what it stored is gone at once (chunks and WAL);
 * the library still lists, serves and deletes; a delete gives its space back to the disk, so
 * that the next import fits. Needs root, for the mount.
 */
class DiskFullTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path tmp;
    Path disk;
    boolean mounted;

    @BeforeEach
    void mount() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "DiskFullTest needs root to mount a 60 MB tmpfs; skipped for user " + System.getProperty("user.name"));
        disk = Files.createDirectories(tmp.resolve("disk"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=60m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                "mount -t tmpfs failed: " + new String(p.getInputStream().readAllBytes()));
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anImportThatFillsTheDiskFailsCleanly_andTheLibraryGoesOnServingDeletingAndImporting() throws Exception {
        Path data = disk.resolve("data");
        // Each import checks first for its chunks, their copy in the WAL and 24 MiB of headroom.
        Path a = pack("a", 10 * MIB, 1);
        Path b = pack("b", 8 * MIB, 2);
        Path c = pack("c", 4 * MIB, 3);
        try (Library library = Library.open(data)) {
            PackImporter importer = new PackImporter(library, PackLimits.DEFAULT, MIB);
            importer.importPack(a, ProgressListener.NONE);
            long dbBefore = Files.size(data.resolve("library.db"));
            Path filler = disk.resolve("filler");
            boolean[] filled = {false};
            // Another program fills the disk while the import runs, leaving it 28 MB.
            ProgressListener fillsTheDisk = (done, total) -> {
                if (!filled[0]) {
                    filled[0] = true;
                    fill(filler, DiskReserve.usableBytes(disk) - 28 * MIB);
                }
            };
            assertThatThrownBy(() -> importer.importPack(b, fillsTheDisk))
                    .isInstanceOf(PackException.class)
                    .hasMessageContaining("b.zip")
                    // The writer may stop on either file: the reader runs ahead of it.
                    .hasMessageMatching("(?s).*while storing '(index\\.html|big\\.bin)'.*")
                    .hasMessageContaining("is full")
                    .satisfies(e -> assertThat(((PackException) e).reason()).isEqualTo(PackException.Reason.NO_SPACE));

            // What it stored is gone at once, from the file and the WAL.
            assertThat(Files.size(data.resolve("library.db"))).isLessThan(dbBefore + 2 * MIB);
            Path wal = data.resolve("library.db-wal");
            assertThat(Files.exists(wal) ? Files.size(wal) : 0).isLessThan(MIB);
            assertThat(library.catalog().packs()).extracting(PackRecord::id).containsExactly("a");
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();

            // Still serves on the full disk.
            try (JobRunner jobs = new JobRunner();
                 WebServer server = WebServer.start(library, jobs, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
                HttpResponse<byte[]> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/packs/a/index.html")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(page.statusCode()).isEqualTo(200);
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.body()).contains("\"serving\":true");
            }

            // Pack c does not fit now; after deleting a, the disk really has the space.
            assertThatThrownBy(() -> importer.importPack(c, ProgressListener.NONE))
                    .isInstanceOf(PackException.class)
                    .satisfies(e -> assertThat(((PackException) e).reason()).isEqualTo(PackException.Reason.NO_SPACE));
            long freeBefore = DiskReserve.usableBytes(disk);
            assertThat(library.delete("a")).isTrue();
            assertThat(DiskReserve.usableBytes(disk)).isGreaterThan(freeBefore + 9 * MIB);
            importer.importPack(c, ProgressListener.NONE);
            assertThat(library.catalog().packs()).extracting(PackRecord::id).containsExactly("c");
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
        }
    }

    @Test
    void aZimImportThatFillsTheDiskFailsCleanlyToo() throws Exception {
        Path data = disk.resolve("data");
        Path folder = tmp.resolve("src-zim");
        PackFixtures.write(folder, "index.html", "<!doctype html><title>Big</title><p>A big ZIM");
        for (int i = 1; i <= 3; i++) {
            PackFixtures.writeRandom(folder, "big" + i + ".bin", 4 * MIB, 3 + i);
        }
        Path zim = org.offlinecommons.zim.ZimTestWriter.write(folder, java.util.Map.of(), "big_zim", "Big ZIM",
                "2026-12-01", "index.html", tmp.resolve("big.zim"));
        try (Library library = Library.open(data)) {
            PackImporter importer = new PackImporter(library, PackLimits.DEFAULT, MIB);
            importer.importPack(pack("a", 4 * MIB, 5), ProgressListener.NONE);
            long dbBefore = Files.size(data.resolve("library.db"));
            boolean[] filled = {false};
            // Once the ZIM is checked and storing has begun (past the first third of the progress).
            ProgressListener fillsTheDisk = (done, total) -> {
                if (!filled[0] && done > total / 3) {
                    filled[0] = true;
                    fill(disk.resolve("filler"), DiskReserve.usableBytes(disk) - 28 * MIB);
                }
            };
            assertThatThrownBy(() -> importer.importPack(zim, fillsTheDisk))
                    .isInstanceOf(PackException.class)
                    .hasMessageContaining("big.zim")
                    .hasMessageContaining("is full")
                    .satisfies(e -> assertThat(((PackException) e).reason()).isEqualTo(PackException.Reason.NO_SPACE));
            assertThat(Files.size(data.resolve("library.db"))).isLessThan(dbBefore + 2 * MIB);
            Path wal = data.resolve("library.db-wal");
            assertThat(Files.exists(wal) ? Files.size(wal) : 0).isLessThan(MIB);
            assertThat(library.catalog().packs()).extracting(PackRecord::id).containsExactly("a");
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
            assertThat(Files.list(data).map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("zim-import-"));
        }
    }

    @Test
    void aPackOfManySmallFilesIsRefusedBeforeAnythingIsStored_forItsRowsAndIndexTakeMoreThanItsBytes()
            throws Exception {
        // 30,000 pages of ~100 bytes: 3 MB of content, but rows and index take a few times that.
        Path folder = tmp.resolve("src-many");
        for (int i = 0; i < 30_000; i++) {
            PackFixtures.write(folder, "p/" + (i / 1000) + "/" + i + ".html",
                    "<!doctype html><title>Page " + i + "</title><p>Words of page " + i + " about rivers");
        }
        Path zip = PackFixtures.build(folder, "many", "Many small pages", tmp.resolve("many.zip"));
        Path data = disk.resolve("data");
        try (Library library = Library.open(data)) {
            long dbBefore = Files.size(data.resolve("library.db"));
            assertThatThrownBy(() -> new PackImporter(library, PackLimits.DEFAULT, MIB)
                    .importPack(zip, ProgressListener.NONE))
                    .isInstanceOf(PackException.class)
                    .hasMessageStartingWith("many.zip: needs ")
                    .hasMessageContaining("of free disk space (the pack with working room")
                    .satisfies(e -> assertThat(((PackException) e).reason()).isEqualTo(PackException.Reason.NO_SPACE));
            assertThat(Files.size(data.resolve("library.db"))).isEqualTo(dbBefore);
            assertThat(library.catalog().packs()).isEmpty();
        }
    }

    @Test
    void onAFullDiskTheLibraryOpensReadOnly_andStillListsVerifiesServesAndBacksUp() throws Exception {
        Path data = disk.resolve("data");
        try (Library library = Library.open(data)) {
            new PackImporter(library, PackLimits.DEFAULT, MIB).importPack(pack("a", 4 * MIB, 6), ProgressListener.NONE);
        }
        // Closed cleanly: no -shm file is left, and SQLite cannot create one on a full disk.
        fill(disk.resolve("filler"), DiskReserve.usableBytes(disk));
        try (Library library = Library.open(data)) {
            assertThat(library.readOnly()).isTrue();
            assertThat(library.catalog().packs()).extracting(PackRecord::id).containsExactly("a");
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
            try (JobRunner jobs = new JobRunner();
                 WebServer server = WebServer.start(library, jobs, WebServer.Options.withoutLogin("127.0.0.1", 0))) {
                HttpResponse<byte[]> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/packs/a/big.bin")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).hasSize((int) (4 * MIB));
            }
            Path backup = tmp.resolve("backup.db");
            library.backupTo(backup);
            assertThat(Files.size(backup)).isGreaterThan(4 * MIB);
            assertThatThrownBy(() -> library.delete("a"))
                    .hasMessageContaining("is full, so the library is open read-only");
            assertThat(library.catalog().packs()).extracting(PackRecord::id).containsExactly("a");
        }
    }

    @Test
    void theSpaceKeptSpareLetsAdminsDeleteOnADiskAnotherProgramFilled() throws Exception {
        Path data = disk.resolve("data");
        try (Library library = Library.open(data)) {
            new PackImporter(library, PackLimits.DEFAULT, MIB).importPack(pack("a", 8 * MIB, 7), ProgressListener.NONE);
        }
        SpareSpace.keep(data);
        assertThat(data.resolve("spare-space")).exists();
        fill(disk.resolve("filler"), DiskReserve.usableBytes(disk));
        try (Library library = Library.open(data)) {
            assertThat(library.readOnly()).isFalse();
            assertThat(data.resolve("spare-space")).doesNotExist();
            assertThat(library.delete("a")).isTrue();
            assertThat(library.catalog().packs()).isEmpty();
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).ok()).isTrue();
        }
        assertThat(DiskReserve.usableBytes(disk)).isGreaterThan(16 * MIB);
    }

    /** A pack of one page and one incompressible file of {@code bytes}, built outside the small disk. */
    private Path pack(String id, long bytes, long seed) throws IOException {
        Path folder = tmp.resolve("src-" + id);
        PackFixtures.write(folder, "index.html", "<!doctype html><title>" + id + "</title><p>Pack " + id);
        PackFixtures.writeRandom(folder, "big.bin", bytes, seed);
        Path zip = tmp.resolve(id + ".zip");
        PackFixtures.build(folder, id, "Pack " + id, zip);
        return zip;
    }

    private static void fill(Path file, long bytes) {
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] block = new byte[1 << 20];
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
