package org.offlinecommons.zim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The MIME type list: zero-terminated names right after the header, ended by an empty name. Content
 * entries name their type by its index in this list.
 */
final class MimeTypeList {
  private final List<String> types;

  private MimeTypeList(List<String> types) {
    this.types = List.copyOf(types);
  }

  /**
   * Reads the list, which must end (with its empty name) before {@code upperLimit}: the first table, dirent
   * or cluster after it, as libzim bounds it.
   */
  static MimeTypeList read(ZimSource source, ZimHeader header, long upperLimit, ZimLimits limits)
      throws IOException {
    long start = header.mimeListPos();
    if (upperLimit <= start) {
      throw source.problem("the MIME type list has no room: the next table starts at " + upperLimit);
    }
    int length = (int) Math.min(upperLimit - start, limits.maxMimeListBytes());
    byte[] bytes = new byte[length];
    source.readFully(start, bytes, 0, length, "the MIME type list");
    List<String> types = new ArrayList<>();
    int at = 0;
    while (true) {
      int end = at;
      while (end < length && bytes[end] != 0) {
        end++;
      }
      if (end == length) {
        throw source.problem("the MIME type list is not terminated (no end within its " + length + " bytes)");
      }
      if (end == at) {
        return new MimeTypeList(types);
      }
      String type = new String(bytes, at, end - at, StandardCharsets.UTF_8);
      if (!printableAscii(bytes, at, end)) {
        throw source.problem("MIME type " + types.size() + " in the MIME type list is not a valid name: "
            + Bytes.quote(type));
      }
      if (types.size() == limits.maxMimeTypes()) {
        throw source.problem("the MIME type list has more than " + limits.maxMimeTypes() + " types");
      }
      types.add(type);
      at = end + 1;
    }
  }

  private static boolean printableAscii(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] < 0x21 && b[i] != ' ' || b[i] > 0x7e) {
        return false;
      }
    }
    return true;
  }

  int size() {
    return types.size();
  }

  String get(int index) {
    return types.get(index);
  }

  List<String> all() {
    return types;
  }
}
