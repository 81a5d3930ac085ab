package org.offlinecommons.zim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A test's {@link ZimWriterInput} over the {@code C} entries of a small new-scheme ZIM, sorted in memory: the
 * round trip a pack imported from a ZIM makes when it is exported again.
 */
final class ArchiveZimInput implements ZimWriterInput {
  final ZimArchive archive;
  final List<ZimItem> byPath = new ArrayList<>();
  final List<ZimItem> byTitle;
  private final Map<String, ZimEntry> entries = new HashMap<>();

  ArchiveZimInput(ZimArchive archive) throws IOException {
    this.archive = archive;
    List<ZimEntry> front = new ArrayList<>();
    archive.forEachByTitle(front::add);
    java.util.Set<String> frontPaths = new java.util.HashSet<>();
    front.forEach(e -> frontPaths.add(e.path()));
    archive.forEachEntry(e -> {
      if (e.namespace() != NamespaceScheme.CONTENT) {
        return;
      }
      entries.put(e.path(), e);
      String title = e.title().equals(e.path()) ? "" : e.title();
      ZimItem item;
      if (e.isRedirect()) {
        item = ZimItem.redirect(e.path(), title, archive.entry(e.redirectIndex()).path());
      } else {
        item = new ZimItem(e.path(), title, e.mimeType(), archive.openBlob(e).size(), "", false);
      }
      byPath.add(item.withFrontArticle(frontPaths.contains(e.path())));
    });
    byTitle = new ArrayList<>(byPath);
    byTitle.sort(Comparator.comparing(ZimItem::effectiveTitle, FolderZimInput::compareUtf8)
        .thenComparing(ZimItem::path, FolderZimInput::compareUtf8));
  }

  ZimBook book() throws IOException {
    ZimEntry main = archive.resolve(archive.mainEntry().orElseThrow());
    return new ZimBook(archive.metadata(), archive.illustration().orElse(new byte[0]), main.path(),
        archive.header().uuid());
  }

  @Override
  public Cursor byPath(String fromPath) {
    return cursor(byPath.stream().filter(i -> FolderZimInput.compareUtf8(i.path(), fromPath) >= 0).iterator());
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
    return new ByteArrayInputStream(archive.readBlob(entries.get(item.path())));
  }
}
