package org.offlinecommons.zim;

import java.io.IOException;
import java.util.HexFormat;

/**
 * The 80-byte header at the start of every ZIM file (openZIM "ZIM file format", libzim {@code fileheader.cpp}).
 * Positions are unsigned 64-bit in the file; one above {@link Long#MAX_VALUE} is kept as a negative number
 * and refused by {@link #read}.
 *
 * @param majorVersion 5 (old namespaces) or 6
 * @param minorVersion 1 or more means the new namespace scheme, as libzim decides
 * @param uuid 16 bytes
 * @param entryCount directory entries (libzim's article count)
 * @param clusterCount clusters
 * @param pathPtrPos start of the path (URL) pointer list: {@code entryCount} 64-bit dirent offsets
 * @param titlePtrPos start of the v0 title pointer list ({@code entryCount} 32-bit entry indexes), or
 *     {@link #NO_TITLE_LIST}
 * @param clusterPtrPos start of the cluster pointer list: {@code clusterCount} 64-bit cluster offsets
 * @param mimeListPos start of the MIME type list (80; 72 in very old files)
 * @param mainPage entry index of the main page, or {@link #NO_PAGE}
 * @param layoutPage entry index of the layout page, or {@link #NO_PAGE}
 * @param checksumPos position of the 16-byte MD5 of everything before it; 0 when the file has none
 */
public record ZimHeader(
    int majorVersion,
    int minorVersion,
    byte[] uuid,
    long entryCount,
    long clusterCount,
    long pathPtrPos,
    long titlePtrPos,
    long clusterPtrPos,
    long mimeListPos,
    long mainPage,
    long layoutPage,
    long checksumPos) {

  /** "ZIM\x04" read as a little-endian 32-bit number. */
  public static final int MAGIC = 72173914;
  public static final int SIZE = 80;
  public static final int OLD_MAJOR_VERSION = 5;
  public static final int MAJOR_VERSION = 6;
  /** The MIME list starts right after the header; a few very old files have a 72-byte header. */
  public static final int MIME_LIST_POS = 80;
  public static final int OLD_MIME_LIST_POS = 72;
  public static final long NO_PAGE = 0xffffffffL;
  public static final long NO_TITLE_LIST = -1L;
  public static final int CHECKSUM_SIZE = 16;

  static final int OFFSET_MAGIC = 0;
  static final int OFFSET_MAJOR = 4;
  static final int OFFSET_MINOR = 6;
  static final int OFFSET_UUID = 8;
  static final int OFFSET_ENTRY_COUNT = 24;
  static final int OFFSET_CLUSTER_COUNT = 28;
  static final int OFFSET_PATH_PTR_POS = 32;
  static final int OFFSET_TITLE_PTR_POS = 40;
  static final int OFFSET_CLUSTER_PTR_POS = 48;
  static final int OFFSET_MIME_LIST_POS = 56;
  static final int OFFSET_MAIN_PAGE = 64;
  static final int OFFSET_LAYOUT_PAGE = 68;
  static final int OFFSET_CHECKSUM_POS = 72;

  public ZimHeader {
    uuid = uuid.clone();
  }

  @Override
  public byte[] uuid() {
    return uuid.clone();
  }

  /** The UUID as libzim prints it (8-4-4-4-12 hex digits). */
  public String uuidString() {
    String hex = HexFormat.of().formatHex(uuid);
    return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
        + hex.substring(16, 20) + "-" + hex.substring(20);
  }

  /** libzim's rule ({@code Fileheader::useNewNamespaceScheme}): minor version 1 or more. */
  public boolean usesNewNamespaceScheme() {
    return minorVersion >= 1;
  }

  public boolean hasTitleListV0() {
    return titlePtrPos != NO_TITLE_LIST;
  }

  public boolean hasChecksum() {
    return checksumPos != 0;
  }

  public boolean hasMainPage() {
    return mainPage != NO_PAGE;
  }

  /**
   * Reads and checks the header: the signature, the version, and that every table it points at lies inside
   * the file. Everything later trusts these bounds.
   */
  static ZimHeader read(ZimSource source, ZimLimits limits) throws IOException {
    long size = source.size();
    if (size < SIZE) {
      throw source.problem("the file is " + size + " bytes long, shorter than the " + SIZE
          + "-byte ZIM header (truncated, or not a ZIM file)");
    }
    byte[] h = new byte[SIZE];
    source.readFully(0, h, 0, SIZE, "the header");
    if ((int) Bytes.u32(h, OFFSET_MAGIC) != MAGIC) {
      throw source.problem("it does not start with the ZIM signature (not a ZIM file)");
    }
    int major = (h[OFFSET_MAJOR] & 0xff) | (h[OFFSET_MAJOR + 1] & 0xff) << 8;
    int minor = (h[OFFSET_MINOR] & 0xff) | (h[OFFSET_MINOR + 1] & 0xff) << 8;
    if (major != OLD_MAJOR_VERSION && major != MAJOR_VERSION) {
      throw source.problem("ZIM major version " + major + " is not supported (only 5 and 6 are)");
    }
    byte[] uuid = java.util.Arrays.copyOfRange(h, OFFSET_UUID, OFFSET_UUID + 16);
    ZimHeader header = new ZimHeader(major, minor, uuid,
        Bytes.u32(h, OFFSET_ENTRY_COUNT), Bytes.u32(h, OFFSET_CLUSTER_COUNT),
        Bytes.u64(h, OFFSET_PATH_PTR_POS), Bytes.u64(h, OFFSET_TITLE_PTR_POS),
        Bytes.u64(h, OFFSET_CLUSTER_PTR_POS), Bytes.u64(h, OFFSET_MIME_LIST_POS),
        Bytes.u32(h, OFFSET_MAIN_PAGE), Bytes.u32(h, OFFSET_LAYOUT_PAGE), Bytes.u64(h, OFFSET_CHECKSUM_POS));
    header.check(source, limits);
    return header;
  }

  private void check(ZimSource source, ZimLimits limits) throws ZimFormatException {
    long size = source.size();
    if (entryCount > limits.maxEntries()) {
      throw source.problem("it claims " + entryCount + " entries, more than the limit of " + limits.maxEntries());
    }
    if ((entryCount == 0) != (clusterCount == 0)) {
      throw source.problem("the header claims " + entryCount + " entries but " + clusterCount + " clusters");
    }
    if (clusterCount > entryCount) {
      throw source.problem("the header claims more clusters (" + clusterCount + ") than entries (" + entryCount + ")");
    }
    if (mimeListPos != MIME_LIST_POS && mimeListPos != OLD_MIME_LIST_POS) {
      throw source.problem("the MIME type list is said to start at " + Long.toUnsignedString(mimeListPos)
          + ", but the format puts it right after the header, at " + MIME_LIST_POS);
    }
    if (hasChecksum()) {
      if (checksumPos < mimeListPos || checksumPos < 0 || checksumPos + CHECKSUM_SIZE != size) {
        throw source.problem("the checksum position (" + Long.toUnsignedString(checksumPos)
            + ") does not match the file size (" + size + " bytes; it should be "
            + (size - CHECKSUM_SIZE) + "): the file is truncated or damaged");
      }
    }
    long dataEnd = dataEnd(size);
    checkTable(source, "path pointer list", pathPtrPos, 8, entryCount, dataEnd);
    if (hasTitleListV0()) {
      checkTable(source, "title pointer list", titlePtrPos, 4, entryCount, dataEnd);
    }
    checkTable(source, "cluster pointer list", clusterPtrPos, 8, clusterCount, dataEnd);
    if (hasMainPage() && mainPage >= entryCount) {
      throw source.problem("the main page is entry " + mainPage + ", but there are only " + entryCount + " entries");
    }
    if (layoutPage != NO_PAGE && layoutPage >= entryCount) {
      throw source.problem("the layout page is entry " + layoutPage + ", but there are only " + entryCount
          + " entries");
    }
  }

  private void checkTable(ZimSource source, String name, long pos, int width, long count, long dataEnd)
      throws ZimFormatException {
    if (pos < mimeListPos || pos > dataEnd || (dataEnd - pos) / width < count) {
      throw source.problem("the " + name + " runs past the end of the file (it starts at "
          + Long.toUnsignedString(pos) + " and holds " + count + " entries of " + width + " bytes; the data ends at "
          + dataEnd + ")");
    }
  }

  /** Where the data ends: the checksum, or the end of a file without one. */
  long dataEnd(long fileSize) {
    return hasChecksum() ? checksumPos : fileSize;
  }
}
