package org.offlinecommons.zim;

/**
 * Which namespaces a file uses. libzim decides by the minor version alone
 * ({@code Fileheader::useNewNamespaceScheme}: minor 1 or more), whatever the major version.
 */
public enum NamespaceScheme {
  /**
   * Before libzim 7 (ZIM 5.0, 6.0): {@code A} articles, {@code I} images, {@code J} scripts, {@code -} layout
   * (CSS, JS, favicon), {@code M} metadata, {@code X} indexes, and a few rarer ones ({@code B}, {@code U},
   * {@code V}, {@code W}, {@code Z}).
   */
  OLD,
  /**
   * libzim 7 on (ZIM 5.1+, 6.1+): {@code C} every user content, {@code M} metadata, {@code W} well-known,
   * {@code X} indexes.
   */
  NEW;

  public static final char CONTENT = 'C';
  public static final char METADATA = 'M';
  public static final char WELL_KNOWN = 'W';
  public static final char INDEX = 'X';
  public static final char OLD_ARTICLES = 'A';
  public static final char OLD_IMAGES = 'I';
  public static final char OLD_SCRIPTS = 'J';
  public static final char OLD_LAYOUT = '-';

  static NamespaceScheme of(ZimHeader header) {
    return header.usesNewNamespaceScheme() ? NEW : OLD;
  }

  /** Whether entries of namespace {@code ns} are the file's own content (what a reader browses), not its machinery. */
  public boolean isUserContent(char ns) {
    return this == NEW ? ns == CONTENT : ns != METADATA && ns != INDEX;
  }
}
