package org.offlinecommons.zim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every entry of every readable openZIM sample, read by us and by Debian's zimdump (libzim): the same list,
 * titles, kinds, MIME types, sizes, redirect targets and bytes. zimdump shows the new scheme's C namespace
 * only (without its namespace), and every namespace of the old scheme.
 */
class ZimDumpComparisonIT {

  static List<Path> readable() {
    return ZimSamples.readable();
  }

  @ParameterizedTest
  @MethodSource("readable")
  void everyEntryIsWhatZimdumpSays(Path file) throws Exception {
    // zimdump opens a split file by the name of the whole, as libzim does.
    String zimPath = file.toAbsolutePath().toString().replaceFirst("\\.zimaa$", ".zim");
    List<Map<String, String>> theirs = details(new String(
        ZimSamples.run("zimdump", "list", "--details", zimPath), StandardCharsets.UTF_8));
    List<String> list = List.of(new String(ZimSamples.run("zimdump", "list", zimPath), StandardCharsets.UTF_8)
        .split("\n"));

    try (ZimArchive zim = ZimArchive.open(Path.of(zimPath))) {
      boolean newScheme = zim.namespaceScheme() == NamespaceScheme.NEW;
      List<ZimEntry> ours = new ArrayList<>();
      zim.forEachEntry(e -> {
        if (!newScheme || e.namespace() == NamespaceScheme.CONTENT) {
          ours.add(e);
        }
      });
      int first = ours.get(0).index();
      List<String> ourPaths = ours.stream().map(e -> newScheme ? e.path() : e.longPath()).toList();
      assertThat(ourPaths).isEqualTo(list);
      assertThat(ours).hasSameSizeAs(theirs);

      int redirects = 0;
      for (int i = 0; i < ours.size(); i++) {
        ZimEntry e = ours.get(i);
        Map<String, String> d = theirs.get(i);
        assertThat(ourPaths.get(i)).isEqualTo(d.get("path"));
        assertThat(e.title()).as(e.longPath()).isEqualTo(d.get("title"));
        assertThat(e.index() - first).isEqualTo(Integer.parseInt(d.get("idx")));
        if (e.isRedirect()) {
          redirects++;
          assertThat(d.get("type")).isEqualTo("redirect");
          assertThat(e.redirectIndex() - first).isEqualTo(Integer.parseInt(d.get("redirect index")));
          ZimEntry target = zim.resolve(e);
          assertThat(target.isContent()).isTrue();
          continue;
        }
        assertThat(d.get("type")).isEqualTo("item");
        assertThat(e.mimeType()).as(e.longPath()).isEqualTo(d.get("mime-type"));
        byte[] bytes = zim.readBlob(e);
        assertThat((long) bytes.length).as(e.longPath()).isEqualTo(Long.parseLong(d.get("item size")));
        // By path where zimdump can look one up (user content), else by index (old-scheme M and X).
        List<String> show = new ArrayList<>(List.of("zimdump", "show"));
        if (newScheme) {
          show.addAll(List.of("--url", e.path()));
        } else if ("AIJ-".indexOf(e.namespace()) >= 0) {
          show.addAll(List.of("--ns", String.valueOf(e.namespace()), "--url", e.path()));
        } else {
          show.addAll(List.of("--idx", String.valueOf(e.index())));
        }
        show.add(zimPath);
        assertThat(bytes).as(e.longPath()).isEqualTo(ZimSamples.run(show));
      }
      if (file.getFileName().toString().startsWith("wikibooks")) {
        assertThat(redirects).isGreaterThan(0);
      }
    }
  }

  /** Parses zimdump's "path: ..." blocks of "* key: value" lines. */
  private static List<Map<String, String>> details(String text) throws IOException {
    List<Map<String, String>> entries = new ArrayList<>();
    Map<String, String> current = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("path: ")) {
        current = new LinkedHashMap<>();
        current.put("path", line.substring(6));
        entries.add(current);
      } else if (line.startsWith("* ") && current != null) {
        int colon = line.indexOf(':');
        current.put(line.substring(2, colon).trim(), line.substring(colon + 1).strip());
      } else if (!line.isEmpty()) {
        throw new IOException("unexpected zimdump line: " + line);
      }
    }
    return entries;
  }
}
