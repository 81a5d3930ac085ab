package org.offlinecommons.zim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test's {@link ZimWriterInput} over the {@code C} entries of a small new-scheme ZIM: the
 * round trip a pack imported from a ZIM makes when it is exported again.
 */
final class ArchiveZimInput extends SortedZimInput {
  final ZimArchive archive;
  private final Map<String, ZimEntry> entries;

  ArchiveZimInput(ZimArchive archive) throws IOException {
    this(archive, new HashMap<>());
  }

  private ArchiveZimInput(ZimArchive archive, Map<String, ZimEntry> entries) throws IOException {
    super(items(archive, entries));
    this.archive = archive;
    this.entries = entries;
  }

  /** The content entries as items, each entry kept in {@code entries} by path to read it later. */
  private static List<ZimItem> items(ZimArchive archive, Map<String, ZimEntry> entries) throws IOException {
    Set<String> frontPaths = new HashSet<>();
    archive.forEachByTitle(e -> frontPaths.add(e.path()));
    List<ZimItem> items = new ArrayList<>();
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
      items.add(item.withFrontArticle(frontPaths.contains(e.path())));
    });
    return items;
  }

  ZimBook book() throws IOException {
    ZimEntry main = archive.resolve(archive.mainEntry().orElseThrow());
    return new ZimBook(archive.metadata(), archive.illustration().orElse(new byte[0]), main.path(),
        archive.header().uuid());
  }

  @Override
  public InputStream open(ZimItem item) throws IOException {
    return new ByteArrayInputStream(archive.readBlob(entries.get(item.path())));
  }
}
