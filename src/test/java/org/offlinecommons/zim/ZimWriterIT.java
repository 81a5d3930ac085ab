package org.offlinecommons.zim;

import static org.offlinecommons.ExternalTools.encodePath;
import static org.offlinecommons.ExternalTools.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.offlinecommons.ExternalTools;
import org.offlinecommons.ExternalTools.Result;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ZIMs we write, read by tools we did not write: zimcheck, zimdump, kiwix-serve. */
class ZimWriterIT {
  @TempDir
  static Path tmp;
  static FolderZimInput input;
  static Path zim;

  @BeforeAll
  static void write() throws IOException {
    input = new FolderZimInput(ZimWriterFixture.makeSite(tmp.resolve("site")), ZimWriterFixture.REDIRECTS);
    zim = ZimWriterFixture.writeZim(ZimWriter.layOut(input, ZimWriterFixture.book()), tmp.resolve("site.zim"));
  }

  @Test
  void zimcheckPassesEveryCheck() throws Exception {
    Result r = run(Duration.ofSeconds(300), List.of("zimcheck", "-A", zim.toString()));
    assertThat(r.output()).contains("Overall Test Status: Pass").doesNotContain("[ERROR]").doesNotContain("WARNING");
    assertThat(r.exit()).as(r.output()).isZero();
  }

  @Test
  void zimdumpListsEveryEntryWithItsTitleTypeAndSize() throws Exception {
    String out = run(Duration.ofSeconds(300), List.of("zimdump", "list", "--details", zim.toString())).output();
    Map<String, Map<String, String>> listed = new HashMap<>();
    Map<String, String> current = null;
    for (String line : out.split("\n")) {
      if (line.startsWith("path: ")) {
        current = new HashMap<>();
        listed.put(line.substring(6), current);
      } else if (line.startsWith("* ") && current != null) {
        int colon = line.indexOf(':');
        current.put(line.substring(2, colon), line.substring(colon + 1).strip());
      }
    }
    assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(input.byPath.stream().map(ZimItem::path).toList());
    for (ZimItem item : input.byPath) {
      Map<String, String> d = listed.get(item.path());
      assertThat(d.get("title")).as(item.path()).isEqualTo(item.effectiveTitle());
      if (item.isRedirect()) {
        assertThat(d.get("type")).isEqualTo("redirect");
      } else {
        assertThat(d.get("mime-type")).isEqualTo(item.mimeType());
        assertThat(d.get("item size")).isEqualTo(Long.toString(item.size()));
      }
    }
  }

  @Test
  void kiwixServeServesEveryFileWithTheSameBytes() throws Exception {
    try (ExternalTools.KiwixServe server = ExternalTools.KiwixServe.start(zim, tmp.resolve("kiwix-serve.log"))) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String base = server.base();
      for (ZimItem item : input.byPath) {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/raw/site/content/"
            + encodePath(item.path()))).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (item.isRedirect()) {
          assertThat(r.statusCode()).isEqualTo(302);
          assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/site/" + item.redirectTarget());
        } else {
          assertThat(r.statusCode()).as(item.path()).isEqualTo(200);
          assertThat(r.body()).as(item.path()).isEqualTo(Files.readAllBytes(input.folder.resolve(item.path())));
        }
      }
      HttpResponse<String> main = http.send(HttpRequest.newBuilder(URI.create(base + "/site")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(main.headers().firstValue("Location").orElseThrow()).endsWith("/site/index.html");
      HttpResponse<String> suggest = http.send(HttpRequest.newBuilder(URI.create(base + "/suggest?content=site&term="
          + encodePath("مقالة"))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(suggest.body()).contains("مقالة 0", "عربي/مقالة-0.html");
      HttpResponse<String> catalog = http.send(HttpRequest.newBuilder(URI.create(base + "/catalog/v2/entries"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(catalog.body()).contains("<title>Writer test</title>", "A generated site", "eng");
    }
  }

  /**
   * The Wikibooks sample (new scheme, with redirects) read by us and written again: zimcheck passes, and
   * zimdump shows the same entries, titles, kinds, media types and sizes in both files.
   */
  @Test
  void aZimReadAndWrittenAgainListsTheSameInZimdump() throws Exception {
    Path source = ZimSamples.DIR.resolve("nons/wikibooks_be_all_nopic_2017-02.zim");
    Path copy = tmp.resolve("wikibooks-again.zim");
    ArchiveZimInput input;
    try (ZimArchive archive = ZimArchive.open(source)) {
      input = new ArchiveZimInput(archive);
      assertThat(input.byPath.stream().filter(ZimItem::isRedirect)).isNotEmpty();
      ZimWriterFixture.writeZim(ZimWriter.layOut(input, input.book()), copy);
    }
    Result check = run(Duration.ofSeconds(300), List.of("zimcheck", "-A", copy.toString()));
    assertThat(check.exit()).as(check.output()).isZero();
    assertThat(zimdumpDetails(copy)).isEqualTo(zimdumpDetails(source));
    try (ZimArchive a = ZimArchive.open(source); ZimArchive b = ZimArchive.open(copy)) {
      b.check();
      assertThat(b.metadata()).isEqualTo(a.metadata());
      assertThat(b.resolve(b.mainEntry().orElseThrow()).path()).isEqualTo(a.resolve(a.mainEntry().orElseThrow()).path());
      List<String> titlesA = new ArrayList<>();
      List<String> titlesB = new ArrayList<>();
      a.forEachByTitle(e -> titlesA.add(e.path()));
      b.forEachByTitle(e -> titlesB.add(e.path()));
      assertThat(titlesB).isEqualTo(titlesA);
      for (ZimItem item : input.byPath) {
        ZimEntry ea = a.resolve(a.find('C', item.path()).orElseThrow());
        ZimEntry eb = b.resolve(b.find('C', item.path()).orElseThrow());
        assertThat(eb.path()).isEqualTo(ea.path());
        assertThat(b.readBlob(eb)).isEqualTo(a.readBlob(ea));
      }
    }
  }

  /** zimdump's listing without the entry indexes (which differ: the writer's own entries are not libzim's). */
  private static List<String> zimdumpDetails(Path file) throws Exception {
    String out = run(Duration.ofSeconds(300), List.of("zimdump", "list", "--details", file.toString())).output();
    return Arrays.stream(out.split("\n")).filter(l -> !l.startsWith("* idx:") && !l.startsWith("* redirect index"))
        .toList();
  }

  /**
   * 200,000 generated entries written by a JVM with a 32 MiB heap; the file passes zimcheck's integrity and
   * checksum checks and ours, and random slices equal the file.
   */
  @Test
  void largeZimIsWrittenInASmallHeap() throws Exception {
    Path large = tmp.resolve("large.zim");
    int n = 200_000;
    Result r = run(Duration.ofSeconds(300), List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m",
        "-cp", System.getProperty("java.class.path"), GeneratedZimInput.class.getName(), Integer.toString(n),
        large.toString()));
    assertThat(r.exit()).as(r.output()).isZero();
    System.out.println("ZimWriterIT large: " + r.output().strip());
    Result check = run(Duration.ofSeconds(300), List.of("zimcheck", "-I", "-C", large.toString()));
    assertThat(check.exit()).as(check.output()).isZero();
    GeneratedZimInput input = new GeneratedZimInput(n);
    try (ZimArchive archive = ZimArchive.open(large)) {
      archive.check();
      assertThat(archive.entryCount()).isGreaterThan(n);
      for (long i : new long[] {0, 1, 9, 12345, n - 1}) {
        ZimEntry e = archive.resolve(archive.find('C', GeneratedZimInput.path(i)).orElseThrow());
        assertThat(archive.readBlob(e)).isEqualTo(GeneratedZimInput.content(i % 10 == 9 ? i - 1 : i));
      }
    }
    ZimWriter writer = ZimWriter.layOut(input, new ZimBook(ZimWriterFixture.METADATA,
        ZimWriterFixture.png(48, java.awt.Color.RED), GeneratedZimInput.path(0), new byte[16]));
    assertThat(writer.length()).isEqualTo(Files.size(large));
    try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "r")) {
      byte[] md5 = new byte[16];
      file.seek(file.length() - 16);
      file.readFully(md5);
      writer.useChecksum(md5);
      Random random = new Random(5);
      for (int i = 0; i < 60; i++) {
        long from = (long) (random.nextDouble() * file.length());
        long to = Math.min(file.length(), from + random.nextInt(200_000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(from, to, out);
        byte[] expected = new byte[(int) (to - from)];
        file.seek(from);
        file.readFully(expected);
        assertThat(Arrays.equals(out.toByteArray(), expected)).as("slice [%d, %d)", from, to).isTrue();
      }
    }
  }
}
