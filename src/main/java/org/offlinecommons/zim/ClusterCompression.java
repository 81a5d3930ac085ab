package org.offlinecommons.zim;

/** The low four bits of a cluster's first byte (libzim {@code cluster.cpp}). */
enum ClusterCompression {
  /** 0 in very old files, 1 since. */
  NONE("uncompressed"),
  XZ("xz"),
  ZSTD("zstd");

  static final int INFO_COMPRESSION_MASK = 0x0f;
  /** Bit 4: blob offsets are 64-bit ("extended" cluster). */
  static final int INFO_EXTENDED = 0x10;
  static final int CODE_DEFAULT = 0;
  static final int CODE_NONE = 1;
  static final int CODE_ZLIB = 2;
  static final int CODE_BZIP2 = 3;
  static final int CODE_XZ = 4;
  static final int CODE_ZSTD = 5;

  final String label;

  ClusterCompression(String label) {
    this.label = label;
  }

  /** The compression of a cluster whose first byte is {@code info}, or null when it is not one we read. */
  static ClusterCompression of(int info) {
    return switch (info & INFO_COMPRESSION_MASK) {
      case CODE_DEFAULT, CODE_NONE -> NONE;
      case CODE_XZ -> XZ;
      case CODE_ZSTD -> ZSTD;
      default -> null;
    };
  }

  static String describeUnsupported(int info) {
    int code = info & INFO_COMPRESSION_MASK;
    return switch (code) {
      case CODE_ZLIB -> "zlib compression (2), which ZIM readers dropped long ago";
      case CODE_BZIP2 -> "bzip2 compression (3), which ZIM readers dropped long ago";
      default -> "an unknown compression type (" + code + ")";
    };
  }
}
