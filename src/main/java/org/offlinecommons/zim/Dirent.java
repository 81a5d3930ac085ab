package org.offlinecommons.zim;

import java.io.IOException;

/**
 * One directory entry as stored (libzim {@code dirent.cpp}): a 16-bit MIME index or kind marker, the
 * length of the extra parameter, the namespace, a revision, then for content the cluster and blob numbers
 * or for a redirect the target's entry index, then the zero-terminated path and title, then the parameter.
 * Paths and titles are kept as bytes, because the format sorts by bytes.
 */
record Dirent(
    long offset, int mime, char namespace, long cluster, long blob, long redirect, byte[] path, byte[] title) {

  static final int REDIRECT = 0xffff;
  static final int LINK_TARGET = 0xfffe;
  static final int DELETED = 0xfffd;
  /** The smallest dirent: a link target with empty path and title. */
  static final int MIN_SIZE = 10;

  private static final int FIRST_READ = 256;

  ZimEntry.Kind kind() {
    return switch (mime) {
      case REDIRECT -> ZimEntry.Kind.REDIRECT;
      case LINK_TARGET -> ZimEntry.Kind.LINK_TARGET;
      case DELETED -> ZimEntry.Kind.DELETED;
      default -> ZimEntry.Kind.CONTENT;
    };
  }

  boolean isContent() {
    return mime < DELETED;
  }

  boolean isRedirect() {
    return mime == REDIRECT;
  }

  /** The path with its namespace, "A/Foo", as bytes: the key of the path pointer list's order. */
  byte[] longPath() {
    return keyOf(path);
  }

  /** The namespace and the title (the path when the title is empty): the key of the title lists' order. */
  byte[] longTitle() {
    return keyOf(title.length == 0 ? path : title);
  }

  private byte[] keyOf(byte[] name) {
    byte[] key = new byte[name.length + 2];
    key[0] = (byte) namespace;
    key[1] = '/';
    System.arraycopy(name, 0, key, 2, name.length);
    return key;
  }

  String describe() {
    return Bytes.quote(Bytes.utf8(longPath()));
  }

  /** Reads the dirent at {@code offset}; {@code what} names it in messages ("entry 12"). */
  static Dirent read(ZimSource source, long offset, long dataEnd, ZimLimits limits, String what)
      throws IOException {
    if (offset < ZimHeader.OLD_MIME_LIST_POS || offset > dataEnd - MIN_SIZE) {
      throw source.problem(what + " points outside the file (to " + Long.toUnsignedString(offset) + ")");
    }
    long available = Math.min(dataEnd - offset, limits.maxDirentBytes());
    int length = (int) Math.min(FIRST_READ, available);
    while (true) {
      byte[] b = new byte[length];
      source.readFully(offset, b, 0, length, what);
      Dirent dirent = parse(b, offset);
      if (dirent != null) {
        return dirent;
      }
      if (length == available) {
        throw source.problem(what + " is not terminated: its path, title and parameter run past "
            + (available == limits.maxDirentBytes() ? "the limit of " + available + " bytes" : "the end of the data"));
      }
      length = (int) Math.min(available, (long) length * 4);
    }
  }

  /** Parses a dirent from {@code b}, or returns null if {@code b} ends before the dirent does. */
  private static Dirent parse(byte[] b, long offset) {
    int mime = (b[0] & 0xff) | (b[1] & 0xff) << 8;
    int parameterLength = b[2] & 0xff;
    char namespace = (char) (b[3] & 0xff);
    int at = 8;
    long cluster = 0;
    long blob = 0;
    long redirect = 0;
    if (mime == REDIRECT) {
      if (b.length < at + 4) {
        return null;
      }
      redirect = Bytes.u32(b, at);
      at += 4;
    } else if (mime != LINK_TARGET && mime != DELETED) {
      if (b.length < at + 8) {
        return null;
      }
      cluster = Bytes.u32(b, at);
      blob = Bytes.u32(b, at + 4);
      at += 8;
    }
    int pathEnd = zero(b, at);
    if (pathEnd < 0) {
      return null;
    }
    int titleEnd = zero(b, pathEnd + 1);
    if (titleEnd < 0 || titleEnd + 1 + parameterLength > b.length) {
      return null;
    }
    byte[] path = java.util.Arrays.copyOfRange(b, at, pathEnd);
    byte[] title = java.util.Arrays.copyOfRange(b, pathEnd + 1, titleEnd);
    return new Dirent(offset, mime, namespace, cluster, blob, redirect, path, title);
  }

  private static int zero(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }
}
