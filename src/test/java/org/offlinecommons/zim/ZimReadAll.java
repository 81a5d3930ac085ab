package org.offlinecommons.zim;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Checks a ZIM and reads every byte of it twice (cluster order, then entry by entry), printing how many
 * bytes: run in a JVM of its own with a small heap to show that memory does not grow with the file.
 */
public final class ZimReadAll {
  private ZimReadAll() {
  }

  public static void main(String[] args) throws IOException {
    try (ZimArchive zim = ZimArchive.open(Path.of(args[0]))) {
      zim.check();
      long[] bytes = new long[2];
      byte[] buffer = new byte[8192];
      zim.forEachBlob((c, b, content) -> {
        int n;
        while ((n = content.read(buffer)) > 0) {
          bytes[0] += n;
        }
      });
      zim.forEachEntry(e -> {
        if (e.isContent()) {
          try (BlobStream in = zim.openBlob(e)) {
            bytes[1] += in.transferTo(java.io.OutputStream.nullOutputStream());
          }
        }
      });
      System.out.println(bytes[0] + " " + bytes[1]);
    }
  }
}
