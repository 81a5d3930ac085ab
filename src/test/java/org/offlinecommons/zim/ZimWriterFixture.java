package org.offlinecommons.zim;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/** A generated site for the writer's tests: nested UTF-8 paths, HTML, images, Cyrillic and Arabic titles. */
final class ZimWriterFixture {
  static final Map<String, String> REDIRECTS = Map.of("old/home.html", "index.html");
  static final ZimMetadata METADATA = new ZimMetadata("oc_writer_test", "Writer test", "A generated site",
      "", "eng", "Offline Commons", "Offline Commons tests", "2026-12-03", "CC-BY-SA-4.0", "test;generated", "",
      "", "");

  private ZimWriterFixture() {
  }

  static Path makeSite(Path folder) throws IOException {
    Random random = new Random(7);
    StringBuilder links = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      links.append("<a href=\"pages/p").append(i).append(".html\">").append(i).append("</a>\n");
    }
    write(folder, "index.html", html("Home", "<img src=\"img/pic-0.png\">" + links, "", random));
    for (int i = 0; i < 30; i++) {
      write(folder, "pages/p" + i + ".html", html("Page " + i, "<p>page " + i + "</p>", "../", random));
    }
    for (int i = 0; i < 12; i++) {
      write(folder, "кніга/раздзел-" + i + ".html", html("Раздзел " + i, "<p>тэкст</p>", "../", random));
      write(folder, "عربي/مقالة-" + i + ".html", html("مقالة " + i, "<p>نص</p>", "../", random));
    }
    write(folder, "css/style.css", "body { font-family: serif; }\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 6; i++) {
      write(folder, "img/pic-" + i + ".png", png(64 + i * 40, new Color(random.nextInt(0xffffff))));
    }
    int[] sizes = {1, 100, 4096, 300_000, 1_500_000};
    for (int i = 0; i < sizes.length; i++) {
      byte[] data = new byte[sizes[i]];
      random.nextBytes(data);
      write(folder, "data/deep/er/blob-" + i + ".bin", data);
    }
    return folder;
  }

  static ZimBook book() throws IOException {
    return new ZimBook(METADATA, png(48, new Color(0x1e60a0)), "index.html", new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  }

  static byte[] png(int side, Color color) throws IOException {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillOval(2, 2, side - 4, side - 4);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static byte[] html(String title, String body, String up, Random random) {
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title>"
        + "<link rel=\"stylesheet\" href=\"" + up + "css/style.css\"></head><body><h1>" + title + "</h1>\n" + body
        + "<p>" + random.nextLong() + "</p></body></html>\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void write(Path folder, String path, byte[] data) throws IOException {
    Path file = folder.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, data);
  }

  /** Writes the ZIM to a file and returns it. */
  static Path writeZim(ZimWriter writer, Path file) throws IOException {
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
      writer.writeAll(out);
    }
    return file;
  }
}
