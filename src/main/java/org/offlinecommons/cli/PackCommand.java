package org.offlinecommons.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.offlinecommons.pack.PackBuilder;
import org.offlinecommons.pack.PackManifest;
import org.offlinecommons.pack.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pack",
        description = {"Turn a folder into a pack zip (manifest, hashes, derived items).",
                "The same folder always gives a byte-identical zip. A pack.json in the folder supplies"
                        + " metadata; options override it."})
final class PackCommand implements Callable<Integer> {

    // Not mixinStandardHelpOptions: its --version would clash with the pack's --version.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "DIR", description = "The folder to pack.")
    Path dir;

    @Option(names = "--id", description = "Pack id: lowercase letters, digits and '-'.")
    String id;

    @Option(names = "--title", description = "The pack's title.")
    String title;

    @Option(names = "--version", description = "Version number (default 1, or the folder's pack.json).")
    Long version;

    @Option(names = "--language", description = "Language tag, e.g. en, fr, pt-BR.")
    String language;

    @Option(names = "--license", description = "License, e.g. CC-BY-4.0.")
    String license;

    @Option(names = "--description", description = "A sentence or two about the pack.")
    String description;

    @Option(names = "--author", description = "An author (repeat for several).")
    List<String> authors;

    @Option(names = "--created", description = "Creation date, ISO-8601 (e.g. 2024-05-01).")
    String created;

    @Option(names = "--entry", description = "Path of the start page (default index.html when present).")
    String entry;

    @Option(names = "--format", paramLabel = "1|2", defaultValue = "2",
            description = {"Pack format (default ${DEFAULT-VALUE}). Format 2 streams its file list: any number of"
                    + " files in bounded memory; format 1, for libraries older than format 2, lists every file in"
                    + " pack.json (at most 100,000)."})
    int format;

    @Option(names = "--out", required = true, paramLabel = "FILE.zip", description = "Where to write the pack.")
    Path out;

    @Override
    public Integer call() {
        if (format != 1 && format != 2) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--format must be 1 or 2");
        }
        ConsoleProgress progress = new ConsoleProgress(System.err, "Packing");
        PackBuilder.Options options = new PackBuilder.Options(id, title, version, language, license, description,
                authors, created, entry);
        if (format == 2) {
            PackManifest m = PackBuilder.buildStreamed(dir, options, out, progress);
            progress.finish();
            System.out.printf("Wrote %s: pack '%s' version %d (format 2), %d files, %s%n", out, m.id(), m.version(),
                    m.fileCount(), Sizes.human(m.totalSize()));
            return 0;
        }
        PackManifest m = PackBuilder.build(dir, options, out, progress);
        progress.finish();
        System.out.printf("Wrote %s: pack '%s' version %d, %d files, %d items, %s%n", out, m.id(), m.version(),
                m.files().size(), m.items().size(), Sizes.human(m.totalSize()));
        return 0;
    }
}
