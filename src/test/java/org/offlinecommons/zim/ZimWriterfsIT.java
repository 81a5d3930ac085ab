package org.offlinecommons.zim;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of a few hundred files (HTML, CSS, JS, Cyrillic names, binary files from bytes to megabytes)
 * made into a ZIM by Debian's zimwriterfs (zstd, new namespaces), then read back by us. (Redirects are
 * covered by the openZIM samples: this zimwriterfs 3.1.3 refuses every line of a --redirects file.)
 */
class ZimWriterfsIT {
  @TempDir
  static Path tmp;
  static Path folder;
  static Path zim;
  @BeforeAll
  static void makeZim() throws Exception {
    folder = tmp.resolve("site");
    Random random = new Random(19);
    write("index.html", page("Галоўная старонка", "welcome home", random));
    for (int i = 0; i < 200; i++) {
      write(String.format("pages/p%03d.html", i), page("Page " + i, "word" + i + " lorem ipsum", random));
    }
    for (int i = 0; i < 40; i++) {
      write("кніга/раздзел-" + i + ".html", page("Раздзел " + i, "тэкст " + i, random));
    }
    write("css/style.css", "body { font-family: serif; }\n".repeat(50).getBytes(StandardCharsets.UTF_8));
    write("js/app.js", "console.log('hi');\n".repeat(30).getBytes(StandardCharsets.UTF_8));
    write("with space/a file.txt", "spaces are fine\n".getBytes(StandardCharsets.UTF_8));
    int[] sizes = {1, 2, 100, 4095, 4096, 65536, 300_000, 1_500_000, 3_000_000};
    for (int i = 0; i < 60; i++) {
      byte[] data = new byte[sizes[i % sizes.length]];
      random.nextBytes(data);
      write("data/blob-" + i + ".bin", data);
    }
    BufferedImage image = new BufferedImage(48, 48, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(0x1e, 0x60, 0xa0));
    g.fillOval(4, 4, 40, 40);
    g.dispose();
    Files.createDirectories(folder.resolve("img"));
    ImageIO.write(image, "png", folder.resolve("img/illustration.png").toFile());

    zim = tmp.resolve("site.zim");
    ZimSamples.run("zimwriterfs", "--welcome=index.html", "--illustration=img/illustration.png",
        "--language=bel", "--title=Тэставы сайт", "--description=A generated test site",
        "--creator=Offline Commons", "--publisher=Offline Commons tests", "--name=oc_test_site",
        "--flavour=maxi", "--tags=test;generated", "--withoutFTIndex", "--threads=1",
        folder.toString(), zim.toString());
  }

  private static byte[] page(String title, String text, Random random) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 20 + random.nextInt(200); i++) {
      body.append("<p>").append(text).append(' ').append(random.nextInt(100000)).append("</p>\n");
    }
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title>"
        + "<link rel=\"stylesheet\" href=\"css/style.css\"></head><body><h1>" + title + "</h1>\n" + body
        + "</body></html>\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void write(String path, byte[] content) throws IOException {
    Path file = folder.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
  }

  private static List<String> folderFiles() throws IOException {
    try (Stream<Path> s = Files.walk(folder)) {
      return s.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString().replace('\\', '/'))
          .sorted().toList();
    }
  }

  @Test
  void everyFileReadsBackByteIdentical() throws IOException {
    List<String> files = folderFiles();
    assertThat(files).hasSizeGreaterThan(300);
    try (ZimArchive archive = ZimArchive.open(zim)) {
      archive.check();
      assertThat(archive.namespaceScheme()).isEqualTo(NamespaceScheme.NEW);
      for (String file : files) {
        ZimEntry entry = archive.find(NamespaceScheme.CONTENT, file).orElseThrow(() -> new AssertionError(file));
        assertThat(entry.isContent()).as(file).isTrue();
        try (BlobStream in = archive.openBlob(entry)) {
          assertThat(in.readAllBytes()).as(file).isEqualTo(Files.readAllBytes(folder.resolve(file)));
        }
      }
      Set<String> contentPaths = new HashSet<>();
      archive.forEachEntry(e -> {
        if (e.namespace() == NamespaceScheme.CONTENT && e.isContent()) {
          contentPaths.add(e.path());
        }
      });
      assertThat(contentPaths).containsExactlyInAnyOrderElementsOf(files);
      assertThat(archive.find(NamespaceScheme.CONTENT, "pages/p000.html").orElseThrow().mimeType())
          .isEqualTo("text/html");
      assertThat(archive.find(NamespaceScheme.CONTENT, "css/style.css").orElseThrow().mimeType())
          .isEqualTo("text/css");
    }
  }

  @Test
  void metadataMainPageAndTitles() throws IOException {
    try (ZimArchive archive = ZimArchive.open(zim)) {
      assertThat(archive.resolve(archive.mainEntry().orElseThrow()).path()).isEqualTo("index.html");
      ZimMetadata m = archive.metadata();
      assertThat(m.title()).isEqualTo("Тэставы сайт");
      assertThat(m.description()).isEqualTo("A generated test site");
      assertThat(m.language()).isEqualTo("bel");
      assertThat(m.creator()).isEqualTo("Offline Commons");
      assertThat(m.publisher()).isEqualTo("Offline Commons tests");
      assertThat(m.name()).isEqualTo("oc_test_site");
      assertThat(m.flavour()).isEqualTo("maxi");
      assertThat(m.tags()).contains("test");
      assertThat(m.date()).matches("\\d{4}-\\d{2}-\\d{2}");
      assertThat(archive.illustration().orElseThrow())
          .isEqualTo(Files.readAllBytes(folder.resolve("img/illustration.png")));

      assertThat(archive.titleListing()).isEqualTo(ZimArchive.TitleListing.V1_FRONT_ARTICLES);
      List<String> front = new ArrayList<>();
      archive.forEachByTitle(e -> front.add(e.title()));
      assertThat(front).contains("Галоўная старонка", "Page 7", "Раздзел 39");
      assertThat(front).hasSizeGreaterThanOrEqualTo(241);
    }
  }

  /** Checking and reading the whole 29 MB file twice in a JVM of 24 MB heap: memory does not follow the file. */
  @Test
  void readsAFileLargerThanItsHeap() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    byte[] out = ZimSamples.run(java, "-Xmx24m", "-cp", System.getProperty("java.class.path"),
        ZimReadAll.class.getName(), zim.toString());
    assertThat(Files.size(zim)).isGreaterThan(24L << 20);
    String[] bytes = new String(out, StandardCharsets.US_ASCII).trim().split(" ");
    assertThat(Long.parseLong(bytes[0])).isGreaterThan(24L << 20);
    assertThat(bytes[1]).isEqualTo(bytes[0]);
  }

  /**
   * The whole file in cluster order, each cluster decoded once, with no cache and blob and xz caps just
   * above the largest file: what an importer does, in memory bounded by those caps.
   */
  @Test
  void clusterOrderWalkReadsEverythingUnderSmallCaps() throws IOException {
    ZimLimits small = ZimLimits.DEFAULT.withClusterCache(0, 0).withMaxBlobBytes(3_000_000);
    try (ZimArchive archive = ZimArchive.open(zim, small)) {
      Map<Long, String> pathByBlob = new HashMap<>();
      archive.forEachEntry(e -> {
        if (e.isContent() && e.namespace() == NamespaceScheme.CONTENT) {
          pathByBlob.put((long) e.cluster() << 32 | e.blob(), e.path());
        }
      });
      int[] matched = new int[1];
      long start = System.nanoTime();
      archive.forEachBlob((cluster, blob, content) -> {
        String path = pathByBlob.get((long) cluster << 32 | blob);
        byte[] bytes = content.readAllBytes();
        if (path != null) {
          assertThat(bytes).as(path).isEqualTo(Files.readAllBytes(folder.resolve(path)));
          matched[0]++;
        }
      });
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(matched[0]).isEqualTo(folderFiles().size());
      System.out.println("ZIM cluster-order walk: " + matched[0] + " files, " + archive.size() + " bytes in "
          + millis + " ms");
    }
  }
}
