package org.offlinecommons.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.Library;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Write a consistent copy of the library to FILE.",
                "Safe while the server runs and while imports are under way."})
final class BackupCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The backup file to create (must not exist).")
    Path file;

    @Mixin
    DataOption data;

    @Override
    public Integer call() throws Exception {
        try (Library library = Library.open(data.dir)) {
            library.backupTo(file);
        }
        System.out.println("Wrote " + file + " (" + Sizes.human(Files.size(file)) + ")");
        return 0;
    }
}
