package org.offlinecommons.zim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes a folder as a ZIM with our writer, with the metadata a test chooses (zimwriterfs always dates today). */
public final class ZimTestWriter {

  private ZimTestWriter() {
  }

  /** {@code folder} as a ZIM of {@code name}, dated {@code date}, with {@code redirects} (from path to target). */
  public static Path write(Path folder, Map<String, String> redirects, String name, String title, String date,
      String mainPage, Path out) throws IOException {
    ZimMetadata meta = new ZimMetadata(name, title, "A generated site", "", "eng", "Offline Commons",
        "Offline Commons tests", date, "CC-BY-SA-4.0", "test", "", "", "");
    byte[] uuid = new byte[16];
    byte[] seed = (name + date).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < seed.length; i++) {
      uuid[i % 16] ^= seed[i];
    }
    ZimBook book = new ZimBook(meta, ZimWriterFixture.png(48, new java.awt.Color(0x1e60a0)), mainPage, uuid);
    ZimWriter writer = ZimWriter.layOut(new FolderZimInput(folder, redirects), book);
    try (OutputStream o = Files.newOutputStream(out)) {
      writer.writeAll(o);
    }
    return out;
  }

  /** A 48x48 PNG, for a folder that zimwriterfs needs an illustration for. */
  public static byte[] icon() throws IOException {
    return ZimWriterFixture.png(48, new java.awt.Color(0x1e60a0));
  }
}
