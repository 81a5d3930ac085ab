package org.offlinecommons.zim;

/**
 * The metadata a ZIM carries in its {@code M} namespace (openZIM "Metadata" page). Missing values are empty
 * strings. Language is ISO 639-3, possibly a comma-separated list ("eng,fra"); date is YYYY-MM-DD.
 */
public record ZimMetadata(
    String name, String title, String description, String longDescription, String language, String creator,
    String publisher, String date, String license, String tags, String flavour, String source, String scraper) {

  public static final String NAME = "Name";
  public static final String TITLE = "Title";
  public static final String DESCRIPTION = "Description";
  public static final String LONG_DESCRIPTION = "LongDescription";
  public static final String LANGUAGE = "Language";
  public static final String CREATOR = "Creator";
  public static final String PUBLISHER = "Publisher";
  public static final String DATE = "Date";
  public static final String LICENSE = "License";
  public static final String TAGS = "Tags";
  public static final String FLAVOUR = "Flavour";
  public static final String SOURCE = "Source";
  public static final String SCRAPER = "Scraper";
  /** The 48x48 PNG illustration (libzim 7 on); older files have {@code -/favicon}. */
  public static final String ILLUSTRATION_48 = "Illustration_48x48@1";
}
