package org.offlinecommons.zim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer against our own reader: the file checks, every entry reads back, and every slice is the same. */
class ZimWriterTest {
  @TempDir
  static Path tmp;
  static FolderZimInput input;
  static ZimWriter writer;
  static Path zim;
  static byte[] whole;

  @BeforeAll
  static void write() throws IOException {
    input = new FolderZimInput(ZimWriterFixture.makeSite(tmp.resolve("site")), ZimWriterFixture.REDIRECTS);
    writer = ZimWriter.layOut(input, ZimWriterFixture.book());
    zim = ZimWriterFixture.writeZim(writer, tmp.resolve("site.zim"));
    whole = Files.readAllBytes(zim);
  }

  @Test
  void lengthIsKnownBeforeWritingAndMatches() {
    assertThat(whole.length).isEqualTo(writer.length());
  }

  @Test
  void ourReaderChecksAndReadsEveryEntry() throws IOException {
    try (ZimArchive archive = ZimArchive.open(zim)) {
      archive.check();
      assertThat(archive.namespaceScheme()).isEqualTo(NamespaceScheme.NEW);
      for (ZimItem item : input.byPath) {
        ZimEntry entry = archive.find('C', item.path()).orElseThrow();
        assertThat(entry.title()).isEqualTo(item.effectiveTitle());
        if (item.isRedirect()) {
          assertThat(archive.resolve(entry).path()).isEqualTo(item.redirectTarget());
        } else {
          assertThat(entry.mimeType()).isEqualTo(item.mimeType());
          assertThat(archive.readBlob(entry)).isEqualTo(Files.readAllBytes(input.folder.resolve(item.path())));
        }
      }
      assertThat(archive.resolve(archive.mainEntry().orElseThrow()).path()).isEqualTo("index.html");
      assertThat(archive.metadata()).isEqualTo(ZimWriterFixture.METADATA);
      assertThat(archive.illustration().orElseThrow()).isEqualTo(ZimWriterFixture.book().illustration48());
      assertThat(archive.titleListing()).isEqualTo(ZimArchive.TitleListing.V1_FRONT_ARTICLES);
      List<String> titles = new ArrayList<>();
      archive.forEachByTitle(e -> titles.add(e.title()));
      assertThat(titles).isEqualTo(input.byTitle.stream().filter(ZimItem::frontArticle)
          .map(ZimItem::effectiveTitle).toList());
      assertThat(titles).contains("Раздзел 3", "مقالة 5");
    }
  }

  @Test
  void everySliceEqualsTheSameSliceOfTheWholeFile() throws IOException {
    writer.useChecksum(Arrays.copyOfRange(whole, whole.length - 16, whole.length));
    ZimHeader h;
    try (ZimArchive archive = ZimArchive.open(zim)) {
      h = archive.header();
    }
    long[] boundaries = {0, 80, h.pathPtrPos(), h.titlePtrPos(), h.clusterPtrPos(), direntStart(h),
        h.checksumPos(), whole.length};
    List<long[]> slices = new ArrayList<>();
    for (long b : boundaries) {
      for (long d : new long[] {-3, -1, 0, 1, 5}) {
        slices.add(new long[] {clamp(b + d), clamp(b + d + 1)});
        slices.add(new long[] {clamp(b + d), clamp(b + d + 37)});
        slices.add(new long[] {clamp(b - 20), clamp(b + d + 20)});
      }
    }
    Random random = new Random(3);
    for (int i = 0; i < 300; i++) {
      long from = (long) (random.nextDouble() * whole.length);
      long length = random.nextInt(4) == 0 ? random.nextInt(3_000_000) : random.nextInt(5000);
      slices.add(new long[] {from, clamp(from + length)});
    }
    slices.add(new long[] {0, whole.length});
    slices.add(new long[] {whole.length, whole.length});
    for (long[] s : slices) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      writer.write(s[0], s[1], out);
      assertThat(out.toByteArray()).as("slice [%d, %d)", s[0], s[1])
          .isEqualTo(Arrays.copyOfRange(whole, (int) s[0], (int) s[1]));
    }
  }

  /** A slice opens only the blobs it covers: the bytes before it are not produced. */
  @Test
  void aSliceOpensOnlyTheBlobsItCovers() throws IOException {
    java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();
    ZimWriterInput counting = new ZimWriterInput() {
      @Override
      public Cursor byPath(String fromPath) {
        return input.byPath(fromPath);
      }

      @Override
      public Cursor byTitle(long skip) {
        return input.byTitle(skip);
      }

      @Override
      public long indexOf(String path) {
        return input.indexOf(path);
      }

      @Override
      public java.io.InputStream open(ZimItem item) throws IOException {
        opens.incrementAndGet();
        return input.open(item);
      }
    };
    ZimWriter w = ZimWriter.layOut(counting, ZimWriterFixture.book());
    assertThat(opens).hasValue(0);
    byte[] big = Files.readAllBytes(input.folder.resolve("data/deep/er/blob-4.bin"));
    long at = indexOf(whole, Arrays.copyOf(big, 64));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    w.write(at + 1000, at + 1010, out);
    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(big, 1000, 1010));
    assertThat(opens).hasValue(1);
    w.write(0, 4096, OutputStreamNull.INSTANCE);
    assertThat(opens).hasValue(1);
  }

  private static final class OutputStreamNull extends java.io.OutputStream {
    static final OutputStreamNull INSTANCE = new OutputStreamNull();

    @Override
    public void write(int b) {
    }
  }

  private static long indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void theChecksumPassEqualsTheWrittenOne() throws IOException {
    ZimWriter fresh = ZimWriter.layOut(input, ZimWriterFixture.book());
    assertThatThrownBy(() -> fresh.write(0, fresh.length(), new ByteArrayOutputStream()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(fresh.computeChecksum()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 16, whole.length));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fresh.write(whole.length - 20, whole.length, out);
    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 20, whole.length));
  }

  @Test
  void refusesUnsortedInputAndBrokenRedirects() throws IOException {
    FolderZimInput unsorted = new FolderZimInput(input.folder, Map.of());
    java.util.Collections.swap(unsorted.byPath, 3, 4);
    assertThatThrownBy(() -> ZimWriter.layOut(unsorted, ZimWriterFixture.book()))
        .hasMessageContaining("entries by path");
    FolderZimInput broken = new FolderZimInput(input.folder, Map.of("a-redirect", "nowhere.html"));
    assertThatThrownBy(() -> ZimWriter.layOut(broken, ZimWriterFixture.book()))
        .hasMessageContaining("redirect 'a-redirect' points at 'nowhere.html'");
    FolderZimInput loop = new FolderZimInput(input.folder, Map.of("self.html", "self.html"));
    assertThatThrownBy(() -> ZimWriter.layOut(loop, ZimWriterFixture.book()))
        .hasMessageContaining("redirect 'self.html' points at itself");
  }

  private static long direntStart(ZimHeader h) {
    return h.clusterPtrPos() + 8 * h.clusterCount();
  }

  private static long clamp(long v) {
    return Math.max(0, Math.min(whole.length, v));
  }
}
