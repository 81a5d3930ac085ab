package org.offlinecommons.zim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * A test's {@link ZimWriterInput} over a few items sorted in memory (a real caller sorts in its
 * database): by path and by title, as the writer reads them; the subclass says where the bytes are.
 */
abstract class SortedZimInput implements ZimWriterInput {

  final List<ZimItem> byPath;
  final List<ZimItem> byTitle;

  SortedZimInput(List<ZimItem> items) {
    byPath = new ArrayList<>(items);
    byPath.sort(Comparator.comparing(ZimItem::path, SortedZimInput::compareUtf8));
    byTitle = new ArrayList<>(items);
    byTitle.sort(Comparator.comparing(ZimItem::effectiveTitle, SortedZimInput::compareUtf8)
        .thenComparing(ZimItem::path, SortedZimInput::compareUtf8));
  }

  static int compareUtf8(String a, String b) {
    return Bytes.compare(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Cursor byPath(String fromPath) {
    return cursor(byPath.stream().filter(i -> compareUtf8(i.path(), fromPath) >= 0).iterator());
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
}
