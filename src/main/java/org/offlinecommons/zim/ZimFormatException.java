package org.offlinecommons.zim;

import java.io.IOException;

/**
 * A ZIM file is damaged, truncated, hostile or uses something this reader does not support. The message
 * names the file and the problem in words a person can act on.
 */
public final class ZimFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public ZimFormatException(String message) {
    super(message);
  }

  public ZimFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
