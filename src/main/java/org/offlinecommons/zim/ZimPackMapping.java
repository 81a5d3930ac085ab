package org.offlinecommons.zim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How ZIM entries and metadata become pack files and pack metadata (docs/zim.md, "From a ZIM to a pack"):
 * pure functions, so that the importer and its tests agree on one mapping.
 */
public final class ZimPackMapping {
  private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
  private static final Pattern DATED_FILE = Pattern.compile("(.+?)_\\d{4}-\\d{2}(-\\d{2})?$");
  private static final Pattern MEDIA_TYPE = Pattern.compile(
      "[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*( *;.*)?");
  private static final String OCTET_STREAM = "application/octet-stream";

  private ZimPackMapping() {
  }

  /**
   * The pack path of an entry, or empty if the entry is not a file of the pack: new scheme {@code C/path}
   * becomes {@code path}; old scheme keeps the namespace as the first segment ({@code A/Foo}, {@code I/x.png},
   * {@code -/s/style.css}) so that the articles' relative links ({@code ../I/x.png}, {@code Bar}) keep
   * working. Metadata, indexes and well-known entries are not files. Whether a pack can hold the path is
   * the importer's question (one rule for every pack, {@code PackPath}): it leaves such entries out and counts them.
   */
  public static Optional<String> packPath(NamespaceScheme scheme, ZimEntry entry) {
    if (!scheme.isUserContent(entry.namespace()) || entry.kind() == ZimEntry.Kind.LINK_TARGET
        || entry.kind() == ZimEntry.Kind.DELETED) {
      return Optional.empty();
    }
    if (scheme == NamespaceScheme.OLD && entry.namespace() == NamespaceScheme.WELL_KNOWN) {
      return Optional.empty();
    }
    return Optional.of(scheme == NamespaceScheme.NEW ? entry.path() : entry.namespace() + "/" + entry.path());
  }

  /**
   * The pack id: {@code Name}, and {@code Flavour} after a '-' when set (one name comes in several flavours,
   * which are different packs); without a name, the file name without {@code .zim} and its date suffix.
   * Lowercased; every run of characters other than a-z and 0-9 becomes one '-'.
   */
  public static String packId(ZimMetadata metadata, String fileName) {
    String base = metadata.name().strip();
    if (base.isEmpty()) {
      base = fileName.replaceFirst("(?i)\\.zim(aa)?$", "");
      Matcher dated = DATED_FILE.matcher(base);
      if (dated.matches()) {
        base = dated.group(1);
      }
    }
    String flavour = metadata.flavour().strip();
    if (!flavour.isEmpty() && !base.toLowerCase(Locale.ROOT).endsWith(flavour.toLowerCase(Locale.ROOT))) {
      base = base + "-" + flavour;
    }
    String id = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return id.isEmpty() ? "zim" : id;
  }

  /** The pack version of a ZIM dated {@code YYYY-MM-DD}: {@code YYYY.M.D}, growing with the date. */
  public static Optional<String> version(String date) {
    Matcher m = DATE.matcher(date.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    int month = Integer.parseInt(m.group(2));
    int day = Integer.parseInt(m.group(3));
    if (month < 1 || month > 12 || day < 1 || day > 31) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(m.group(1)) + "." + month + "." + day);
  }

  /** The ZIM's MIME type if it is a valid {@code type/subtype}, else {@code application/octet-stream}. */
  public static String mediaType(String zimMimeType) {
    String type = zimMimeType.strip().toLowerCase(Locale.ROOT);
    if (!MEDIA_TYPE.matcher(type).matches() || type.contains("+zimlisting") || type.contains("+xapian")) {
      return OCTET_STREAM;
    }
    return zimMimeType.strip();
  }

  /** The tags of {@code M/Tags} (';'-separated), without Kiwix's internal {@code _key:value} tags. */
  public static List<String> tags(String zimTags) {
    List<String> tags = new ArrayList<>();
    for (String tag : zimTags.split(";")) {
      String t = tag.strip();
      if (!t.isEmpty() && !t.startsWith("_") && !tags.contains(t)) {
        tags.add(t);
      }
    }
    return tags;
  }
}
