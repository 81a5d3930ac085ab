package org.offlinecommons.zim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ZimArchiveTest {

  static List<Path> readable() {
    return ZimSamples.readable();
  }

  static List<Path> invalid() throws IOException {
    return ZimSamples.invalid();
  }

  @ParameterizedTest
  @MethodSource("readable")
  void everyReadableSamplePassesTheFullCheck(Path file) throws IOException {
    List<String> steps = new ArrayList<>();
    try (ZimArchive zim = ZimArchive.open(file)) {
      zim.check((step, done, total) -> steps.add(step));
      assertThat(zim.entryCount()).isGreaterThan(10);
    }
    assertThat(steps).contains("entries", "clusters", "checksum");
  }

  /** What each damaged file of the openZIM test suite must be refused for, in our words. */
  private static final Map<String, String> PROBLEMS = Map.ofEntries(
      Map.entry("bad_mimetype_in_dirent", "has MIME type number 1234, but the MIME type list has only"),
      Map.entry("bad_mimetype_list", "the MIME type list is not terminated"),
      Map.entry("invalid_checksumpos", "it has no checksum"),
      Map.entry("invalid_mimelistpos", "the MIME type list is said to start at 0"),
      Map.entry("nonsorted_dirent_table", "the dirent table is not sorted by path: entry 1"),
      Map.entry("nonsorted_title_index", "the title pointer list is not sorted by title"),
      Map.entry("offset_in_cluster", "cluster 1: blob 0 runs past the end of the cluster"),
      Map.entry("outofbounds_clusterptrpos", "the cluster pointer list runs past the end of the file"),
      Map.entry("outofbounds_first_clusterptr", "cluster 0 starts at"),
      Map.entry("outofbounds_first_direntptr", "the path pointer list: entry 0 points outside the file"),
      Map.entry("outofbounds_first_title_entry", "the title pointer list names entry"),
      Map.entry("outofbounds_last_direntptr", "points outside the file"),
      Map.entry("outofbounds_last_title_entry", "the title pointer list names entry"),
      Map.entry("outofbounds_titleptrpos", "the title pointer list runs past the end of the file"),
      Map.entry("outofbounds_urlptrpos", "the path pointer list runs past the end of the file"),
      Map.entry("smaller_than_header", "shorter than the 80-byte ZIM header"));

  @ParameterizedTest
  @MethodSource("invalid")
  void everyInvalidSampleIsRefusedWithItsProblemNamed(Path file) {
    String name = file.getFileName().toString();
    String kind = name.substring("invalid.".length(), name.length() - ".zim".length());
    assertThat(PROBLEMS).containsKey(kind);
    assertThatThrownBy(() -> {
      try (ZimArchive zim = ZimArchive.open(file)) {
        zim.check();
      }
    }).isInstanceOf(ZimFormatException.class)
        .hasMessageStartingWith(name + ": ")
        .hasMessageContaining(PROBLEMS.get(kind));
  }

  @Test
  void namespaceSchemeFollowsLibzimsRule() throws IOException {
    try (ZimArchive old = ZimArchive.open(ZimSamples.DIR.resolve("withns/small.zim"));
        ZimArchive now = ZimArchive.open(ZimSamples.DIR.resolve("nons/small.zim"))) {
      assertThat(old.header().majorVersion()).isEqualTo(5);
      assertThat(old.namespaceScheme()).isEqualTo(NamespaceScheme.OLD);
      assertThat(now.header().minorVersion()).isEqualTo(1);
      assertThat(now.namespaceScheme()).isEqualTo(NamespaceScheme.NEW);
      assertThat(old.resolve(old.mainEntry().orElseThrow()).longPath()).isEqualTo("A/main.html");
      assertThat(now.resolve(now.mainEntry().orElseThrow()).longPath()).isEqualTo("C/main.html");
      assertThat(now.titleListing()).isEqualTo(ZimArchive.TitleListing.V1_FRONT_ARTICLES);
      assertThat(old.titleListing()).isEqualTo(ZimArchive.TitleListing.V0_ALL_ENTRIES);
    }
  }

  /** kiwix-manage (kiwix-tools) reads each file's metadata into a library.xml; ours must agree. */
  @ParameterizedTest
  @MethodSource("readable")
  void metadataAgreesWithKiwixManage(Path file, @TempDir Path tmp) throws Exception {
    Path library = tmp.resolve("library.xml");
    // libzim opens a split file by the name of the whole: X.zim, absent, with X.zimaa beside it. So do we.
    String name = file.toAbsolutePath().toString().replaceFirst("\\.zimaa$", ".zim");
    ZimSamples.run("kiwix-manage", library.toString(), "add", name);
    String xml = Files.readString(library, StandardCharsets.UTF_8);
    Map<String, String> book = attributes(xml);
    try (ZimArchive zim = ZimArchive.open(Path.of(name))) {
      ZimMetadata m = zim.metadata();
      assertThat(m.title()).isEqualTo(unescape(book.get("title")));
      assertSame(m.description(), book.get("description"));
      assertThat(m.language()).isEqualTo(book.get("language"));
      assertSame(m.creator(), book.get("creator"));
      assertSame(m.publisher(), book.get("publisher"));
      assertThat(m.date()).isEqualTo(book.get("date"));
      assertThat(m.name()).isEqualTo(book.getOrDefault("name", ""));
      assertThat(zim.header().uuidString()).isEqualTo(book.get("id"));
      assertThat(zim.illustration().orElseThrow()).isEqualTo(Base64.getDecoder().decode(book.get("favicon")));
    }
  }

  @Test
  void cyrillicTitlesAndFrontArticlesOfWikibooks() throws IOException {
    for (String scheme : List.of("withns", "nons")) {
      try (ZimArchive zim = ZimArchive.open(ZimSamples.DIR.resolve(scheme + "/wikibooks_be_all_nopic_2017-02.zim"))) {
        assertThat(zim.metadata().description()).isEqualTo("З пляцоўкі Wikibooks");
        List<ZimEntry> articles = new ArrayList<>();
        zim.forEachByTitle(e -> {
          if (zim.namespaceScheme().isUserContent(e.namespace()) && e.mimeType().equals("text/html")) {
            articles.add(e);
          }
        });
        // kiwix-manage counts 66 articles in both files.
        assertThat(articles).hasSize(66);
        assertThat(articles).extracting(ZimEntry::title)
            .contains("Італьянская мова", "Эспэранта");
        List<String> titles = articles.stream().map(ZimEntry::title).toList();
        assertThat(titles).isSortedAccordingTo((a, b) -> Bytes.compare(a.getBytes(StandardCharsets.UTF_8),
            b.getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  @Test
  void aSplitFileReadsAsTheWholeFile() throws IOException {
    for (String scheme : List.of("withns", "nons")) {
      Path dir = ZimSamples.DIR.resolve(scheme);
      try (ZimArchive whole = ZimArchive.open(dir.resolve("wikibooks_be_all_nopic_2017-02.zim"));
          ZimArchive split = ZimArchive.open(dir.resolve("wikibooks_be_all_nopic_2017-02_splitted.zimaa"))) {
        assertThat(split.name()).isEqualTo("wikibooks_be_all_nopic_2017-02_splitted.zim");
        assertThat(split.size()).isEqualTo(whole.size());
        assertThat(split.entryCount()).isEqualTo(whole.entryCount());
        for (int i = 0; i < whole.entryCount(); i++) {
          ZimEntry a = whole.entry(i);
          ZimEntry b = split.entry(i);
          assertThat(b).isEqualTo(a);
          if (a.isContent()) {
            assertThat(split.readBlob(b)).isEqualTo(whole.readBlob(a));
          }
        }
      }
    }
  }

  /** Cluster-order reading, random reads with the cache, and random reads without it give the same bytes. */
  @ParameterizedTest
  @MethodSource("readable")
  void blobsInClusterOrderEqualRandomReads(Path file) throws IOException {
    ZimLimits noCache = ZimLimits.DEFAULT.withClusterCache(0, 0);
    try (ZimArchive cached = ZimArchive.open(file); ZimArchive streamed = ZimArchive.open(file, noCache)) {
      Map<Long, byte[]> byBlob = new HashMap<>();
      cached.forEachBlob((c, b, content) -> {
        // Read only some of the blobs: the walk must skip the rest itself.
        if (b % 2 == 0) {
          byBlob.put((long) c << 32 | b, content.readAllBytes());
        }
      });
      int[] content = new int[1];
      cached.forEachEntry(e -> {
        if (e.isContent()) {
          content[0]++;
          byte[] a = cached.readBlob(e);
          assertThat(streamed.readBlob(e)).isEqualTo(a);
          byte[] walked = byBlob.get((long) e.cluster() << 32 | e.blob());
          if (walked != null) {
            assertThat(walked).isEqualTo(a);
          }
        }
      });
      assertThat(content[0]).isGreaterThan(1);
      assertThat(byBlob).isNotEmpty();
      assertThat(cached.cachedBytes()).isLessThanOrEqualTo(ZimLimits.DEFAULT.clusterCacheBytes());
    }
  }

  @Test
  void aMissingFileSaysSo(@TempDir Path tmp) {
    assertThatThrownBy(() -> ZimArchive.open(tmp.resolve("nothing.zim")))
        .isInstanceOf(ZimFormatException.class).hasMessageContaining("nothing.zim: no such file");
  }

  /** kiwix-manage writes N/A for a missing value; some of these files also store "N/A" itself. */
  private static void assertSame(String ours, String kiwix) {
    if (kiwix == null || kiwix.equals("N/A")) {
      assertThat(ours).isIn("", "N/A");
    } else {
      assertThat(ours).isEqualTo(unescape(kiwix));
    }
  }

  private static String unescape(String s) {
    return s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private static Map<String, String> attributes(String xml) {
    Matcher book = Pattern.compile("<book ([^>]*)/>").matcher(xml);
    assertThat(book.find()).as("a <book> in %s", xml).isTrue();
    Map<String, String> map = new HashMap<>();
    Matcher attr = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(book.group(1));
    while (attr.find()) {
      map.put(attr.group(1), attr.group(2));
    }
    return map;
  }
}
