package org.offlinecommons.zim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * xz clusters that the small first-try dictionary cannot decode (a match reaching back further than it,
 * several blocks) are decoded again by the full decoder, and every blob still reads right; ordinary
 * clusters, read to their end, never need it.
 */
class XzClusterStreamTest {
  @TempDir
  Path tmp;

  @Test
  void aMatchBeyondTheFirstTryDictionaryFallsBackToTheFullDecoder() throws IOException {
    Random random = new Random(4);
    byte[] head = new byte[1 << 20];
    random.nextBytes(head);
    byte[] middle = new byte[XzClusterStream.FIRST_TRY_DICT + (1 << 20)];
    random.nextBytes(middle);
    // The third blob repeats the first: LZMA2 refers back over 5 MiB, past a 4 MiB dictionary.
    List<byte[]> blobs = List.of(head, middle, head);
    assertThat(fallBacks(() -> checkCluster(blobs, false, true))).isPositive();
  }

  @Test
  void aStreamOfSeveralBlocksFallsBackToTheFullDecoder() throws IOException {
    byte[] a = "first block ".repeat(1000).getBytes();
    byte[] b = "second block ".repeat(1000).getBytes();
    assertThat(fallBacks(() -> checkCluster(List.of(a, b, a), true, true))).isPositive();
  }

  @Test
  void anOrdinaryClusterReadsInTheFirstTry() throws IOException {
    assertThat(fallBacks(() -> checkCluster(List.of("a".getBytes(), "bb".getBytes(), new byte[100_000]), false, true)))
        .isZero();
  }

  interface Run {
    void run() throws IOException;
  }

  private static long fallBacks(Run run) throws IOException {
    long before = XzClusterStream.FALL_BACKS.get();
    run.run();
    return XzClusterStream.FALL_BACKS.get() - before;
  }

  private void checkCluster(List<byte[]> blobs, boolean blockPerBlob, boolean readPastEnd) throws IOException {
    ByteBuffer table = ByteBuffer.allocate(4 * (blobs.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
    int offset = table.capacity();
    table.putInt(offset);
    for (byte[] blob : blobs) {
      offset += blob.length;
      table.putInt(offset);
    }
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(ClusterCompression.CODE_XZ);
    LZMA2Options options = new LZMA2Options(6);
    options.setDictSize(16 << 20);
    try (XZOutputStream xz = new XZOutputStream(file, options)) {
      xz.write(table.array());
      for (byte[] blob : blobs) {
        xz.write(blob);
        if (blockPerBlob) {
          xz.endBlock();
        }
      }
    }
    Path path = tmp.resolve("cluster.bin");
    Files.write(path, file.toByteArray());
    try (ZimSource source = ZimSource.open(List.of(path))) {
      Cluster cluster = Cluster.at(source, 0, 0, source.size(), ZimLimits.DEFAULT);
      for (int i = blobs.size() - 1; i >= 0; i--) {
        try (BlobStream in = cluster.openBlob(i, 10)) {
          assertThat(in.readAllBytes()).as("blob %d", i).isEqualTo(blobs.get(i));
        }
      }
      try (var in = cluster.data()) {
        in.skipNBytes(table.capacity());
        for (byte[] blob : blobs) {
          assertThat(in.readNBytes(blob.length)).isEqualTo(blob);
        }
        if (readPastEnd) {
          // The end of the data: a single block ends there, several blocks go on in the full decoder.
          assertThat(in.read()).isEqualTo(-1);
        }
      }
    }
  }
}
