package org.offlinecommons.zim;

import java.nio.charset.StandardCharsets;

/** Little-endian fields and byte-string comparison, as the ZIM format stores and sorts them. */
final class Bytes {
  private Bytes() {
  }

  static long u32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
  }

  static long u64(byte[] b, int at) {
    return u32(b, at) | u32(b, at + 4) << 32;
  }

  /** Compares as C++'s std::string does (unsigned bytes), which is the order of ZIM's tables. */
  static int compare(byte[] a, byte[] b) {
    return java.util.Arrays.compareUnsigned(a, b);
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** A value from a file, quoted and shortened for a message. */
  static String quote(String s) {
    String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
    return "'" + shown + "'";
  }
}
