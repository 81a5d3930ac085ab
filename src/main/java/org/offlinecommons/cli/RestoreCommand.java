package org.offlinecommons.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.offlinecommons.store.Library;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Put a backup made by 'backup' back in place of the library.",
                "Stop the server first. The replaced library is kept as library.db.before-restore."})
final class RestoreCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The backup file.")
    Path file;

    @Mixin
    DataOption data;

    @Override
    public Integer call() {
        Library.restore(file, data.dir);
        try (Library library = Library.open(data.dir)) {
            System.out.println("Restored " + file + ": " + library.catalog().packs().size() + " packs");
        }
        return 0;
    }
}
