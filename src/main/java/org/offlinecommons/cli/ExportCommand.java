package org.offlinecommons.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.offlinecommons.pack.PackExporter;
import org.offlinecommons.store.Library;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write an installed pack out as a pack zip, byte-identical content.")
final class ExportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "The pack to export.")
    String id;

    @Option(names = "--out", required = true, paramLabel = "FILE.zip", description = "Where to write it.")
    Path out;

    @Mixin
    DataOption data;

    @Override
    public Integer call() {
        try (Library library = Library.open(data.dir)) {
            ConsoleProgress progress = new ConsoleProgress(System.err, "Exporting " + id);
            new PackExporter(library).export(id, out, progress);
            progress.finish();
            System.out.println("Wrote " + out);
        }
        return 0;
    }
}
