package org.offlinecommons.zim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZimPackMappingTest {

  /**
   * The mapping keeps a ZIM's internal links working: every relative link of every HTML page, resolved
   * against the page's pack path, names a pack path the mapping produced (a file or a redirect).
   */
  @ParameterizedTest
  @ValueSource(strings = {"withns/wikibooks_be_all_nopic_2017-02.zim", "nons/wikibooks_be_all_nopic_2017-02.zim"})
  void internalLinksResolveToPackPaths(String sample) throws IOException {
    try (ZimArchive zim = ZimArchive.open(ZimSamples.DIR.resolve(sample))) {
      NamespaceScheme scheme = zim.namespaceScheme();
      Set<String> paths = new HashSet<>();
      List<ZimEntry> pages = new ArrayList<>();
      zim.forEachEntry(e -> {
        Optional<String> path = ZimPackMapping.packPath(scheme, e);
        path.ifPresent(paths::add);
        if (path.isPresent() && e.isContent() && e.mimeType().startsWith("text/html")) {
          pages.add(e);
        }
      });
      assertThat(pages).isNotEmpty();
      List<String> broken = new ArrayList<>();
      int links = 0;
      for (ZimEntry page : pages) {
        String pagePath = ZimPackMapping.packPath(scheme, page).orElseThrow();
        Document doc = Jsoup.parse(new String(zim.readBlob(page), StandardCharsets.UTF_8));
        for (Element el : doc.select("a[href], link[href], img[src], script[src]")) {
          String ref = el.hasAttr("href") ? el.attr("href") : el.attr("src");
          String target = resolve(pagePath, ref);
          if (target == null) {
            continue;
          }
          links++;
          if (!paths.contains(target)) {
            broken.add(pagePath + " -> " + ref);
          }
        }
      }
      assertThat(links).isGreaterThan(0);
      assertThat(broken).isEmpty();
    }
  }

  /** The pack path a relative reference names from a page, or null for absolute URLs and bare fragments. */
  private static String resolve(String pagePath, String ref) {
    if (ref.isEmpty() || ref.startsWith("#") || ref.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || ref.startsWith("/")) {
      return null;
    }
    String path = ref.replaceFirst("[?#].*$", "");
    Deque<String> segments = new ArrayDeque<>(List.of(pagePath.split("/")));
    segments.removeLast();
    for (String s : percentDecode(path).split("/", -1)) {
      if (s.equals("..")) {
        segments.pollLast();
      } else if (!s.equals(".")) {
        segments.addLast(s);
      }
    }
    return String.join("/", segments);
  }

  private static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '%' && i + 2 < b.length) {
        out.write(Integer.parseInt(new String(b, i + 1, 2, StandardCharsets.US_ASCII), 16));
        i += 2;
      } else {
        out.write(b[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void pathsOfBothSchemes() {
    ZimEntry article = new ZimEntry(1, 'A', "Foo.html", "Foo", ZimEntry.Kind.CONTENT, "text/html", 0, 0, 0);
    ZimEntry layout = new ZimEntry(2, '-', "s/style.css", "", ZimEntry.Kind.CONTENT, "text/css", 0, 1, 0);
    ZimEntry meta = new ZimEntry(3, 'M', "Title", "", ZimEntry.Kind.CONTENT, "text/plain", 0, 2, 0);
    ZimEntry content = new ZimEntry(4, 'C', "a/b.html", "", ZimEntry.Kind.CONTENT, "text/html", 0, 3, 0);
    ZimEntry index = new ZimEntry(5, 'X', "listing/titleOrdered/v1", "", ZimEntry.Kind.CONTENT, "x", 0, 4, 0);
    ZimEntry wellKnown = new ZimEntry(6, 'W', "mainPage", "", ZimEntry.Kind.REDIRECT, "", 0, 0, 4);
    ZimEntry dotted = new ZimEntry(7, 'C', "a/../b", "", ZimEntry.Kind.CONTENT, "text/html", 0, 5, 0);
    assertThat(ZimPackMapping.packPath(NamespaceScheme.OLD, article)).contains("A/Foo.html");
    assertThat(ZimPackMapping.packPath(NamespaceScheme.OLD, layout)).contains("-/s/style.css");
    assertThat(ZimPackMapping.packPath(NamespaceScheme.OLD, meta)).isEmpty();
    assertThat(ZimPackMapping.packPath(NamespaceScheme.NEW, content)).contains("a/b.html");
    assertThat(ZimPackMapping.packPath(NamespaceScheme.NEW, index)).isEmpty();
    assertThat(ZimPackMapping.packPath(NamespaceScheme.NEW, wellKnown)).isEmpty();
    assertThat(ZimPackMapping.packPath(NamespaceScheme.NEW, dotted)).contains("a/../b"); // the importer leaves it out
  }

  @Test
  void idVersionMediaTypesAndTags() throws IOException {
    try (ZimArchive zim = ZimArchive.open(ZimSamples.DIR.resolve("nons/wikibooks_be_all_nopic_2017-02.zim"))) {
      ZimMetadata m = zim.metadata();
      assertThat(ZimPackMapping.packId(m, "wikibooks_be_all_nopic_2017-02.zim")).isEqualTo("kiwix-wikibooks-be-all");
      assertThat(ZimPackMapping.version(m.date())).contains("2017.2.13");
      assertThat(ZimPackMapping.tags(m.tags())).contains("nopic").noneMatch(t -> t.startsWith("_"));
    }
    ZimMetadata unnamed = new ZimMetadata("", "", "", "", "", "", "", "", "", "", "nopic", "", "");
    assertThat(ZimPackMapping.packId(unnamed, "wikipedia_en_all_nopic_2024-06.zim"))
        .isEqualTo("wikipedia-en-all-nopic");
    ZimMetadata flavoured = new ZimMetadata("wikipedia_en_all", "", "", "", "", "", "", "", "", "", "maxi", "", "");
    assertThat(ZimPackMapping.packId(flavoured, "x.zim")).isEqualTo("wikipedia-en-all-maxi");
    assertThat(ZimPackMapping.version("2024-6-1")).isEmpty();
    assertThat(ZimPackMapping.version("2024-13-01")).isEmpty();
    assertThat(ZimPackMapping.version("2024-06-01")).contains("2024.6.1");
    assertThat(ZimPackMapping.mediaType("text/html")).isEqualTo("text/html");
    assertThat(ZimPackMapping.mediaType("text/html; charset=utf-8")).isEqualTo("text/html; charset=utf-8");
    assertThat(ZimPackMapping.mediaType("application/octet-stream+xapian")).isEqualTo("application/octet-stream");
    assertThat(ZimPackMapping.mediaType("not a type")).isEqualTo("application/octet-stream");
    assertThat(ZimPackMapping.tags("wikipedia;_category:wikipedia;_pictures:no;nopic;wikipedia"))
        .containsExactly("wikipedia", "nopic");
  }
}
