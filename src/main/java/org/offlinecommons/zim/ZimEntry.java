package org.offlinecommons.zim;

/**
 * One entry of a ZIM file, in the order of the path pointer list.
 *
 * @param index the entry's index (its place in path order)
 * @param namespace one character: {@code C}, {@code M}, {@code W}, {@code X} in the new scheme; {@code A},
 *     {@code I}, {@code J}, {@code -}, {@code M}, {@code X}, ... in the old one
 * @param path the path inside its namespace (no leading slash, no namespace)
 * @param title the title; the path when the file gives none, as libzim does
 * @param kind content, redirect, or one of the two obsolete kinds
 * @param mimeType the content's media type from the MIME list; empty for other kinds
 * @param cluster the cluster holding the content (content only)
 * @param blob the blob inside that cluster (content only)
 * @param redirectIndex the entry a redirect points at (redirects only)
 */
public record ZimEntry(
    int index, char namespace, String path, String title, Kind kind, String mimeType, int cluster, int blob,
    int redirectIndex) {

  /** What a directory entry is. */
  public enum Kind {
    CONTENT, REDIRECT,
    /** Obsolete (libzim 1): names a target without content. */
    LINK_TARGET,
    /** Obsolete (libzim 1): a deleted entry. */
    DELETED
  }

  public boolean isContent() {
    return kind == Kind.CONTENT;
  }

  public boolean isRedirect() {
    return kind == Kind.REDIRECT;
  }

  /** Namespace and path, "C/index.html", as zimdump and libzim's long paths show them. */
  public String longPath() {
    return namespace + "/" + path;
  }
}
