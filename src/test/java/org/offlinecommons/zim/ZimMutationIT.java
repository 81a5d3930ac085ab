package org.offlinecommons.zim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Damaged ZIMs: random byte flips, truncations, a claimed 4 GB blob, redirect loops, clusters out of order.
 * Each is checked and then read in every way the API offers, under small caps and a timeout: the only
 * failure allowed is a {@link ZimFormatException}, and the check must refuse what the reads trip over.
 */
class ZimMutationIT {
  /**
   * Caps a little above what the samples need: a hostile file gets no more. The decoders need what the
   * files' writers chose: xz at its preset 9 (a 64 MiB dictionary), zstd windows over 8 MiB.
   */
  static final ZimLimits SMALL = new ZimLimits(100_000, 64, 4096, 4096, 1 << 20, 1 << 20, 64 * 1024, 200, 20,
      512 * 1024, 256 * 1024, 80 * 1024, 27);

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"nons/small.zim", "withns/small.zim", "nons/wikibooks_be_all_nopic_2017-02.zim",
      "withns/wikibooks_be_all_nopic_2017-02.zim"})
  void randomByteFlipsAndTruncationsAreRefusedOrRead(String sample) throws Exception {
    byte[] original = Files.readAllBytes(ZimSamples.DIR.resolve(sample));
    assertThat(exercise(write("original.zim", original))).as("the undamaged file").isNull();
    Random random = new Random(sample.hashCode());
    int refused = 0;
    int runs = 0;
    for (int i = 0; i < 100; i++) {
      byte[] damaged = original.clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        // Half the flips hit the header, tables and dirents, where a reader has the most to trust.
        int at = random.nextBoolean() ? random.nextInt(original.length) : structuralByte(original, random);
        damaged[at] ^= (byte) (1 + random.nextInt(255));
      }
      runs++;
      if (exercise(write("flip-" + i + ".zim", damaged)) != null) {
        refused++;
      }
    }
    for (int i = 0; i < 30; i++) {
      int length = random.nextInt(original.length);
      runs++;
      ZimFormatException e = exercise(write("cut-" + i + ".zim", java.util.Arrays.copyOf(original, length)));
      assertThat(e).as("a file cut to %d bytes", length).isNotNull();
      refused++;
    }
    assertThat(refused).as("refused of %d", runs).isGreaterThan(runs * 9 / 10);
  }

  /** A byte of the header, the pointer lists or the dirents, or the first bytes of a cluster. */
  private static int structuralByte(byte[] zim, Random random) {
    ByteBuffer h = ByteBuffer.wrap(zim).order(ByteOrder.LITTLE_ENDIAN);
    int entries = h.getInt(24);
    int clusters = h.getInt(28);
    long[][] regions = {
        {0, 80},
        {h.getLong(32), h.getLong(32) + 8L * entries},
        {h.getLong(40), h.getLong(40) + 4L * entries},
        {h.getLong(48), h.getLong(48) + 8L * clusters},
        {h.getLong(ByteBufferOffsets.firstDirent(h)), h.getLong(ByteBufferOffsets.firstDirent(h)) + 64},
        {h.getLong((int) h.getLong(48)), h.getLong((int) h.getLong(48)) + 16}};
    long[] r = regions[random.nextInt(regions.length)];
    long from = Math.max(0, Math.min(r[0], zim.length - 1));
    long to = Math.max(from + 1, Math.min(r[1], zim.length));
    return (int) (from + random.nextInt((int) (to - from)));
  }

  /** Where the first dirent's pointer is (the path pointer list's first slot). */
  private static final class ByteBufferOffsets {
    static int firstDirent(ByteBuffer h) {
      return (int) h.getLong(32);
    }
  }

  @Test
  void aClaimedFourGigabyteBlobInAnUncompressedClusterIsRefused() throws Exception {
    byte[] zim = Files.readAllBytes(ZimSamples.DIR.resolve("nons/small.zim"));
    long start;
    try (ZimArchive archive = ZimArchive.open(ZimSamples.DIR.resolve("nons/small.zim"))) {
      start = archive.clusterStart(1);
      assertThat(archive.cluster(1).compression()).isEqualTo(ClusterCompression.NONE);
    }
    ByteBuffer b = ByteBuffer.wrap(zim).order(ByteOrder.LITTLE_ENDIAN);
    int count = b.getInt((int) start + 1) / 4 - 1;
    b.putInt((int) start + 1 + 4 * count, 0xfffffff0);
    Path file = write("huge-blob.zim", zim);
    assertThat(exercise(file)).hasMessageContaining("huge-blob.zim: cluster 1: blob " + (count - 1) + " claims 42949");
    try (ZimArchive archive = ZimArchive.open(file)) {
      assertThatThrownBy(archive::check).isInstanceOf(ZimFormatException.class)
          .hasMessageContaining("runs past the end of the cluster");
    }
  }

  /** An xz cluster written here whose offsets claim a 4 GB blob: refused before any of it is decoded. */
  @Test
  void aClaimedFourGigabyteBlobInAnXzClusterIsRefused() throws Exception {
    byte[] zim = Files.readAllBytes(ZimSamples.DIR.resolve("withns/small.zim"));
    long start;
    long end;
    try (ZimArchive archive = ZimArchive.open(ZimSamples.DIR.resolve("withns/small.zim"))) {
      start = archive.clusterStart(0);
      end = archive.clusterEnd(0);
      assertThat(archive.cluster(0).compression()).isEqualTo(ClusterCompression.XZ);
    }
    ByteBuffer table = ByteBuffer.allocate(12 + 64).order(ByteOrder.LITTLE_ENDIAN);
    table.putInt(12).putInt(12 + 64).putInt(0xfffffff0);
    ByteArrayOutputStream xz = new ByteArrayOutputStream();
    try (XZOutputStream out = new XZOutputStream(xz, new LZMA2Options(1))) {
      out.write(table.array());
    }
    byte[] cluster = xz.toByteArray();
    assertThat(cluster.length).isLessThan((int) (end - start - 1));
    zim[(int) start] = ClusterCompression.CODE_XZ;
    System.arraycopy(cluster, 0, zim, (int) start + 1, cluster.length);
    Path file = write("huge-xz-blob.zim", zim);
    for (ZimLimits limits : List.of(SMALL, ZimLimits.DEFAULT)) {
      try (ZimArchive archive = ZimArchive.open(file, limits)) {
        assertThatThrownBy(archive::check).isInstanceOf(ZimFormatException.class)
            .hasMessageContaining("huge-xz-blob.zim: cluster 0: blob 1");
      }
    }
    assertThat(exercise(file)).isNotNull();
  }

  @Test
  void aRedirectToItselfIsALoop() throws Exception {
    Path file = redirects("withns/small.zim", "self-loop.zim", new int[] {0}, new int[] {0});
    try (ZimArchive archive = ZimArchive.open(file)) {
      ZimEntry favicon = archive.entry(0);
      assertThat(favicon.longPath()).isEqualTo("-/favicon");
      assertThatThrownBy(() -> archive.resolve(favicon)).isInstanceOf(ZimFormatException.class)
          .hasMessageContaining("redirect loop");
      assertThatThrownBy(archive::check).isInstanceOf(ZimFormatException.class)
          .hasMessageContaining("self-loop.zim: entry 0 '-/favicon' starts a redirect chain")
          .hasMessageContaining("loop");
    }
    assertThat(exercise(file)).isNotNull();
  }

  @Test
  void twoRedirectsPointingAtEachOtherAreALoop() throws Exception {
    Path file = redirects("nons/wikibooks_be_all_nopic_2017-02.zim", "two-loop.zim", new int[] {0, 1},
        new int[] {1, 0});
    try (ZimArchive archive = ZimArchive.open(file)) {
      assertThat(archive.entry(0).isRedirect()).isTrue();
      assertThat(archive.entry(1).isRedirect()).isTrue();
      assertThatThrownBy(archive::check).isInstanceOf(ZimFormatException.class).hasMessageContaining("redirect loop");
    }
    assertThat(exercise(file)).isNotNull();
  }

  @Test
  void clusterOffsetsOutOfOrderAreRefused() throws Exception {
    byte[] zim = Files.readAllBytes(ZimSamples.DIR.resolve("nons/small.zim"));
    ByteBuffer b = ByteBuffer.wrap(zim).order(ByteOrder.LITTLE_ENDIAN);
    int list = (int) b.getLong(48);
    long first = b.getLong(list);
    b.putLong(list, b.getLong(list + 8));
    b.putLong(list + 8, first);
    Path file = write("clusters-swapped.zim", zim);
    ZimFormatException e = exercise(file);
    assertThat(e).hasMessageContaining("clusters-swapped.zim: the cluster offsets are out of order");
  }

  private Path redirects(String sample, String name, int[] entries, int[] targets) throws IOException {
    byte[] zim = Files.readAllBytes(ZimSamples.DIR.resolve(sample));
    try (ZimArchive archive = ZimArchive.open(ZimSamples.DIR.resolve(sample))) {
      ByteBuffer b = ByteBuffer.wrap(zim).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < entries.length; i++) {
        assertThat(archive.entry(entries[i]).isRedirect()).isTrue();
        b.putInt((int) archive.direntOffset(entries[i]) + 8, targets[i]);
      }
    }
    return write(name, zim);
  }

  private Path write(String name, byte[] content) throws IOException {
    Path file = tmp.resolve(name);
    Files.write(file, content);
    return file;
  }

  /**
   * Opens, checks and reads a file every way there is, under {@link #SMALL} and a timeout. Returns the first
   * refusal (or null if the file passed the check and read whole); fails on any other exception.
   */
  static ZimFormatException exercise(Path file) {
    return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      ZimFormatException first = null;
      ZimArchive archive;
      try {
        archive = ZimArchive.open(file, SMALL);
      } catch (ZimFormatException e) {
        return e;
      }
      try (archive) {
        List<Step> steps = List.of(
            archive::check,
            () -> archive.forEachEntry(e -> {
              if (e.isContent()) {
                archive.readBlob(e);
              } else if (e.isRedirect()) {
                archive.resolve(e);
              }
            }),
            () -> archive.forEachBlob((c, b, content) -> content.readAllBytes()),
            () -> archive.forEachByTitle(e -> { }),
            archive::metadata,
            archive::illustration,
            () -> archive.mainEntry().ifPresent(e -> { }),
            () -> archive.find('C', "main.html"),
            archive::verifyChecksum);
        for (Step step : steps) {
          try {
            step.run();
          } catch (ZimFormatException e) {
            assertThat(e.getMessage()).startsWith(file.getFileName() + ": ");
            first = first == null ? e : first;
          }
        }
      }
      return first;
    });
  }

  @FunctionalInterface
  interface Step {
    void run() throws IOException;
  }
}
