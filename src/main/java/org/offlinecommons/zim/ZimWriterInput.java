package org.offlinecommons.zim;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * What {@link ZimWriter} writes, implemented by the caller (typically over a database that can sort). Every
 * method may be called many times, concurrently for concurrent writes, and must answer the same way each time:
 * the layout computed once must stay true. Orders compare UTF-8 bytes as unsigned numbers, which is SQLite's
 * BINARY collation on text.
 */
public interface ZimWriterInput {

  /** A forward-only cursor; {@link #next()} returns null at the end. */
  interface Cursor extends Closeable {
    ZimItem next() throws IOException;
  }

  /** The entries whose path is {@code >= fromPath} ("" for all), by path. */
  Cursor byPath(String fromPath) throws IOException;

  /** The entries by title (the path when empty), then path, skipping the first {@code skip}. */
  Cursor byTitle(long skip) throws IOException;

  /** The position of {@code path} in path order (0 for the first), or -1 when there is no such entry. */
  long indexOf(String path) throws IOException;

  /** The content of a content entry: exactly {@link ZimItem#size()} bytes. */
  InputStream open(ZimItem item) throws IOException;
}
