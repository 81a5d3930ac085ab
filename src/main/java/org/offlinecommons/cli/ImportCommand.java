package org.offlinecommons.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.offlinecommons.pack.ImportResult;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.Library;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Check pack zips and add them to the library.",
                "Each pack appears whole or not at all; a refused pack changes nothing."})
final class ImportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE.zip", arity = "1..*", description = "Pack zips to import.")
    List<Path> files;

    @Mixin
    DataOption data;

    @Override
    public Integer call() {
        int failures = 0;
        try (Library library = Library.open(data.dir)) {
            PackImporter importer = new PackImporter(library);
            for (Path file : files) {
                ConsoleProgress progress = new ConsoleProgress(System.err, "Importing " + file.getFileName());
                try {
                    ImportResult r = importer.importPack(file, progress);
                    progress.finish();
                    System.out.println(describe(file, r));
                } catch (PackException e) {
                    progress.finish();
                    System.err.println("offline-commons: " + e.getMessage());
                    failures++;
                }
            }
        }
        return failures == 0 ? 0 : Main.EXIT_REFUSED;
    }

    static String describe(Path file, ImportResult r) {
        return switch (r.outcome()) {
            case INSTALLED -> String.format("%s: imported '%s' version %d (%s)", file.getFileName(), r.packId(),
                    r.version(), Sizes.human(r.totalBytes()));
            case UPDATED -> String.format("%s: updated '%s' to version %d (%s)", file.getFileName(), r.packId(),
                    r.version(), Sizes.human(r.totalBytes()));
            case UNCHANGED -> String.format("%s: '%s' version %d is already installed; nothing to do",
                    file.getFileName(), r.packId(), r.version());
        };
    }
}
