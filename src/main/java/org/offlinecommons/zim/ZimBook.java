package org.offlinecommons.zim;

/**
 * What a written ZIM says about itself besides its entries.
 *
 * @param metadata written as {@code M/...} entries, the non-empty values only
 * @param illustration48 a 48x48 PNG written as {@code M/Illustration_48x48@1}, or empty for none
 * @param mainPage the path of the main page (in the {@code C} namespace); {@code W/mainPage} redirects to it
 * @param uuid 16 bytes; derive them from the pack and its version so that the bytes are the same every time
 */
public record ZimBook(ZimMetadata metadata, byte[] illustration48, String mainPage, byte[] uuid) {
  public ZimBook {
    if (uuid.length != 16) {
      throw new IllegalArgumentException("a ZIM UUID is 16 bytes, not " + uuid.length);
    }
    illustration48 = illustration48.clone();
    uuid = uuid.clone();
  }

  @Override
  public byte[] illustration48() {
    return illustration48.clone();
  }

  @Override
  public byte[] uuid() {
    return uuid.clone();
  }
}
