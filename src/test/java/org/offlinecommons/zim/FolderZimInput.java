package org.offlinecommons.zim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A test's {@link ZimWriterInput} over a small folder: every file is content, titled by its HTML
 * {@code <title>}, plus the given redirects.
 */
final class FolderZimInput extends SortedZimInput {
  private static final Pattern TITLE = Pattern.compile("<title>(.*?)</title>", Pattern.DOTALL);
  private static final Map<String, String> TYPES = Map.of("html", "text/html", "css", "text/css", "js",
      "application/javascript", "png", "image/png", "txt", "text/plain", "bin", "application/octet-stream");

  final Path folder;

  FolderZimInput(Path folder, Map<String, String> redirects) throws IOException {
    super(items(folder, redirects));
    this.folder = folder;
  }

  private static List<ZimItem> items(Path folder, Map<String, String> redirects) throws IOException {
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
    return items;
  }

  @Override
  public InputStream open(ZimItem item) throws IOException {
    return Files.newInputStream(folder.resolve(item.path()));
  }
}
