package org.offlinecommons.zim;

/**
 * One entry the caller gives {@link ZimWriter}: content (a path, a title, a media type and a size known up
 * front) or a redirect to another path. Paths are in the {@code C} namespace, without it and without a leading
 * slash ("images/a.png").
 *
 * @param path the path, unique, not empty, no NUL
 * @param title the title; empty or equal to the path when there is none (Kiwix then shows the path)
 * @param mimeType the media type (content only; empty for a redirect)
 * @param size the content's length in bytes (content only; 0 for a redirect)
 * @param redirectTarget the path a redirect points at, or empty for content
 * @param frontArticle whether the entry is listed in {@code X/listing/titleOrdered/v1} (Kiwix's title search
 *     and random article)
 */
public record ZimItem(
    String path, String title, String mimeType, long size, String redirectTarget, boolean frontArticle) {

  public ZimItem {
    require(!path.isEmpty() && path.indexOf('\0') < 0, "a path must be non-empty and contain no NUL: '" + path + "'");
    require(title.indexOf('\0') < 0, "a title must contain no NUL: " + path);
    if (redirectTarget.isEmpty()) {
      require(!mimeType.isEmpty() && mimeType.chars().allMatch(c -> c > 0x20 && c < 0x7f),
          "content " + path + " needs a printable ASCII media type, not '" + mimeType + "'");
      require(size >= 0, "content " + path + " has a negative size");
    } else {
      require(mimeType.isEmpty() && size == 0, "redirect " + path + " has a media type or a size");
      require(redirectTarget.indexOf('\0') < 0, "redirect " + path + ": the target contains NUL");
    }
  }

  /** Content; a front article when it is HTML, as zimwriterfs decides. */
  public static ZimItem content(String path, String title, String mimeType, long size) {
    return new ZimItem(path, title, mimeType, size, "", mimeType.startsWith("text/html"));
  }

  /** A redirect from {@code path} to {@code target}; not a front article. */
  public static ZimItem redirect(String path, String title, String target) {
    require(!target.isEmpty(), "redirect " + path + " has an empty target");
    return new ZimItem(path, title, "", 0, target, false);
  }

  public ZimItem withFrontArticle(boolean front) {
    return new ZimItem(path, title, mimeType, size, redirectTarget, front);
  }

  public boolean isRedirect() {
    return !redirectTarget.isEmpty();
  }

  /** The title as stored and sorted: the path when there is none. */
  public String effectiveTitle() {
    return title.isEmpty() ? path : title;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
