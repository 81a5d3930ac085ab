package org.offlinecommons.zim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A test's {@link ZimWriterInput} over a small folder, sorted in memory (a real caller sorts in its database):
 * every file is content, titled by its HTML {@code <title>}, plus the given redirects.
 */
final class FolderZimInput implements ZimWriterInput {
  private static final Pattern TITLE = Pattern.compile("<title>(.*?)</title>", Pattern.DOTALL);
  private static final Map<String, String> TYPES = Map.of("html", "text/html", "css", "text/css", "js",
      "application/javascript", "png", "image/png", "txt", "text/plain", "bin", "application/octet-stream");

  final Path folder;
  final List<ZimItem> byPath;
  final List<ZimItem> byTitle;

  FolderZimInput(Path folder, Map<String, String> redirects) throws IOException {
    this.folder = folder;
    List<ZimItem> items = new ArrayList<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String path = folder.relativize(file).toString().replace('\\', '/');
        String ext = path.substring(path.lastIndexOf('.') + 1);
        String type = TYPES.getOrDefault(ext, "application/octet-stream");
        String title = "";
        if (type.equals("text/html")) {
          Matcher m = TITLE.matcher(Files.readString(file));
          title = m.find() ? m.group(1) : "";
        }
        items.add(ZimItem.content(path, title, type, Files.size(file)));
      }
    }
    redirects.forEach((from, to) -> items.add(ZimItem.redirect(from, "", to)));
    byPath = new ArrayList<>(items);
    byPath.sort(Comparator.comparing(ZimItem::path, FolderZimInput::compareUtf8));
    byTitle = new ArrayList<>(items);
    byTitle.sort(Comparator.comparing(ZimItem::effectiveTitle, FolderZimInput::compareUtf8)
        .thenComparing(ZimItem::path, FolderZimInput::compareUtf8));
  }

  static int compareUtf8(String a, String b) {
    return Bytes.compare(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Cursor byPath(String fromPath) {
    Iterator<ZimItem> it = byPath.stream().filter(i -> compareUtf8(i.path(), fromPath) >= 0).iterator();
    return cursor(it);
  }

  @Override
  public Cursor byTitle(long skip) {
    return cursor(byTitle.stream().skip(skip).iterator());
  }

  private static Cursor cursor(Iterator<ZimItem> it) {
    return new Cursor() {
      @Override
      public ZimItem next() {
        return it.hasNext() ? it.next() : null;
      }

      @Override
      public void close() {
      }
    };
  }

  @Override
  public long indexOf(String path) {
    for (int i = 0; i < byPath.size(); i++) {
      if (byPath.get(i).path().equals(path)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public InputStream open(ZimItem item) throws IOException {
    return Files.newInputStream(folder.resolve(item.path()));
  }
}
