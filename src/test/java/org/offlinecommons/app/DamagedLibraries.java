package org.offlinecommons.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;

/**
 * Two real libraries with the same pack, the first with 4 bytes flipped in one chunk inside its
 * library.db file (as a rotting disk would leave it).
 */
public final class DamagedLibraries {

    /** The damaged chunk's hash, and the pack file that uses it. */
    public record Damage(String chunk, String where) {
    }

    private DamagedLibraries() {
    }

    /** Builds the pack, imports it into {@code dataA} and {@code dataB}, then damages A's copy. */
    public static Damage make(Path tmp, Path dataA, Path dataB) throws IOException {
        Path site = tmp.resolve("site");
        PackFixtures.write(site, "index.html", "<!doctype html><title>Rivers</title><p>Rivers and deltas.");
        PackFixtures.writeRandom(site, "video.mp4", 2_500_000, 11);
        Path zip = tmp.resolve("rivers.zip");
        PackFixtures.build(site, new PackBuilder.Options("rivers", "Rivers", 1L, null, null, null, null, null, null),
                zip);
        String chunk;
        byte[] stored;
        try (Library a = Library.open(dataA); Library b = Library.open(dataB)) {
            new PackImporter(a).importPack(zip, ProgressListener.NONE);
            new PackImporter(b).importPack(zip, ProgressListener.NONE);
            String sha = a.catalog().file("rivers", "video.mp4").orElseThrow().sha256();
            chunk = a.chunks().recipe(sha).orElseThrow().chunks().get(1).hash();
            stored = a.chunks().readEncoded(chunk).orElseThrow().data();
        }
        flip(dataA.resolve("library.db"), stored);
        return new Damage(chunk, "rivers/video.mp4");
    }

    /** Flips four bytes in every copy of {@code stored} (a chunk's stored bytes) inside {@code file}. */
    public static void flip(Path file, byte[] stored) throws IOException {
        byte[] db = Files.readAllBytes(file);
        int from = stored.length / 2;
        byte[] needle = Arrays.copyOfRange(stored, from, from + 64);
        int at = indexOf(db, needle, 0);
        assertThat(at).as("chunk bytes found in " + file).isNotNegative();
        for (; at >= 0; at = indexOf(db, needle, at + 1)) {
            for (int i = 10; i < 14; i++) {
                db[at + i] ^= 0x5a;
            }
        }
        Files.write(file, db);
    }

    private static int indexOf(byte[] hay, byte[] needle, int start) {
        outer:
        for (int i = start; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
