package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.FileList;
import org.offlinecommons.pack.ManifestCodec;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.pack.PackManifest;
import org.offlinecommons.pack.PackWriter;
import org.offlinecommons.store.Catalog;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.ProgressListener;

/**
 * Version 2 of a 200,000-file pack changes 2,000 files (twenty folders of a hundred): a pull of
 * it moves at most 5 % of the full manifest's bytes besides the changed files' chunks, counted on
 * the wire.
 */
// Tens of minutes on 2 cores (docs/performance.md, "Format 2"): run on demand with
// ./scripts/test -Dscale.tests=true, beside scripts/bench --scale, not in every suite run.
@EnabledIfSystemProperty(named = "scale.tests", matches = "true")
class ManifestPiecesIT {

    /** 200 folders of 1,000 files; -Dpieces.folders=20 for a quicker look at the same shape. */
    static final int FOLDERS = Integer.getInteger("pieces.folders", 200);
    static final int PER_FOLDER = 1000;

    @TempDir
    Path tmp;

    static byte[] content(int folder, int file, int version) {
        // One folder in ten changes a tenth of its files: 1 % of the files, in 20 runs of 100 (of 200 folders).
        boolean changed = version == 2 && folder % 10 == 3 && file < 100;
        return ("file " + folder + "/" + file + (changed ? " changed" : "") + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String path(int folder, int file) {
        return String.format("d%04d/f%05d.dat", folder, file);
    }

    /** Writes the pack straight from generated content: no folder of 200,000 files on disk. */
    static Path writePack(Path dir, int version) throws Exception {
        Path list = dir.resolve("list-" + version + ".tsv");
        PackManifest.FileListInfo info;
        try (var out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(list))) {
            FileList.Writer w = new FileList.Writer(out);
            for (int d = 0; d < FOLDERS; d++) {
                for (int f = 0; f < PER_FOLDER; f++) {
                    byte[] c = content(d, f, version);
                    w.add(new FileList.Entry(path(d, f), c.length, Hashes.sha256Hex(c), null));
                }
            }
            info = w.info();
        }
        PackManifest m = ManifestCodec.parse(("{\"format\":2,\"id\":\"wide\",\"version\":" + version
                + ",\"title\":\"Wide\",\"fileList\":{\"count\":" + info.count() + ",\"size\":" + info.size()
                + ",\"sha256\":\"" + info.sha256() + "\"}}").getBytes(StandardCharsets.UTF_8), "generated");
        Path zip = dir.resolve("wide-" + version + ".zip");
        PackWriter.writeStreamed(m, () -> {
            var in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(list));
            FileList.Reader r = new FileList.Reader(in, "list", info);
            return new PackWriter.FileCursor() {
                @Override
                public FileList.Entry next() throws java.io.IOException {
                    return r.next();
                }

                @Override
                public void close() throws java.io.IOException {
                    in.close();
                }
            };
        }, f -> {
            int d = Integer.parseInt(f.path().substring(1, 5));
            int i = Integer.parseInt(f.path().substring(7, 12));
            return new ByteArrayInputStream(content(d, i, version));
        }, zip, ProgressListener.NONE);
        return zip;
    }

    @Test
    void anUpdateOfOnePercentOfTheFilesMovesAtMostFivePercentOfTheManifest() throws Exception {
        try (Library peerLibrary = Library.open(tmp.resolve("peer"));
             Library here = Library.open(tmp.resolve("here"))) {
            new PackImporter(peerLibrary).importPack(writePack(tmp, 1), ProgressListener.NONE);
            LibraryTree tree = new LibraryTree(peerLibrary);
            try (FakePeer peer = FakePeer.serving(tree, p -> null)) {
                SyncStatus first = new PackPuller(here, new PeerClient(peer.base())).sync(List.of(), false,
                        new SyncProgress(peer.base().toString(), false, ProgressListener.NONE));
                assertThat(first.ok()).as(first.summary()).isTrue();
            }
            new PackImporter(peerLibrary).importPack(writePack(tmp, 2), ProgressListener.NONE);
            PackRecord v2 = peerLibrary.catalog().pack("wide").orElseThrow();
            long topManifest = tree.manifest(v2).length;
            long fullManifest = topManifest;
            for (Catalog.SyncPiece p : tree.pieces(v2)) {
                fullManifest += p.size();
            }
            long changedBytes = 0;
            for (int d = 0; d < FOLDERS; d++) {
                for (int f = 0; f < PER_FOLDER; f++) {
                    if (!java.util.Arrays.equals(content(d, f, 1), content(d, f, 2))) {
                        changedBytes += content(d, f, 2).length;
                    }
                }
            }
            AtomicLong catalogBytes = new AtomicLong();
            try (FakePeer peer = FakePeer.serving(tree, p -> {
                if (p.endsWith("catalog.json")) {
                    catalogBytes.addAndGet(tree.catalog().length);
                }
                return null;
            })) {
                PeerClient client = new PeerClient(peer.base());
                SyncStatus second = new PackPuller(here, client).sync(List.of(), false,
                        new SyncProgress(peer.base().toString(), false, ProgressListener.NONE));
                assertThat(second.ok()).as(second.summary()).isTrue();
                long manifestBytesMoved = client.bytesReceived() - changedBytes - catalogBytes.get();
                System.out.printf("full manifest %,d bytes (top %,d); update moved %,d bytes: %,d of manifest"
                                + " (%.2f %%), %,d of changed files%n", fullManifest, topManifest,
                        client.bytesReceived(), manifestBytesMoved, 100.0 * manifestBytesMoved / fullManifest,
                        changedBytes);
                assertThat(client.bytesReceived()).isLessThanOrEqualTo(fullManifest / 20 + changedBytes
                        + catalogBytes.get());
            }
            assertThat(here.catalog().pack("wide").orElseThrow().digest()).isEqualTo(v2.digest());
        }
    }
}
