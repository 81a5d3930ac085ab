package org.offlinecommons.zim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The openZIM test files in ../shared/zim-samples and the Debian zim-tools the tests compare with. */
public final class ZimSamples {
  /** The samples folder: -Dzim.samples, else shared/zim-samples beside any parent folder, else /work/shared. */
  public static final Path DIR = locate();

  private ZimSamples() {
  }

  private static Path locate() {
    String configured = System.getProperty("zim.samples");
    if (configured != null) {
      return Path.of(configured);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/zim-samples");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return Path.of("/work/shared/zim-samples");
  }

  /** The readable files: both schemes, small and Wikibooks, the split Wikibooks given by its first part. */
  static List<Path> readable() {
    List<Path> files = new ArrayList<>();
    for (String scheme : List.of("withns", "nons")) {
      files.add(DIR.resolve(scheme).resolve("small.zim"));
      files.add(DIR.resolve(scheme).resolve("wikibooks_be_all_nopic_2017-02.zim"));
      files.add(DIR.resolve(scheme).resolve("wikibooks_be_all_nopic_2017-02_splitted.zimaa"));
    }
    return files;
  }

  static List<Path> invalid() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String scheme : List.of("withns", "nons")) {
      try (Stream<Path> s = Files.list(DIR.resolve(scheme))) {
        s.filter(p -> p.getFileName().toString().startsWith("invalid.")).sorted().forEach(files::add);
      }
    }
    return files;
  }

  /** Runs a tool we did not write and returns its standard output; fails on a non-zero exit or a hang. */
  static byte[] run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + command);
    }
    if (p.exitValue() != 0) {
      throw new IOException("exit " + p.exitValue() + ": " + command);
    }
    return out.toByteArray();
  }

  static byte[] run(String... command) throws IOException, InterruptedException {
    return run(List.of(command));
  }
}
