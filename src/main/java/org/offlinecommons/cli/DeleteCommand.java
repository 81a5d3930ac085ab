package org.offlinecommons.cli;

import java.util.concurrent.Callable;
import org.offlinecommons.store.Library;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Remove a pack. Content other packs share stays stored.")
final class DeleteCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "The pack to remove.")
    String id;

    @Mixin
    DataOption data;

    @Override
    public Integer call() {
        try (Library library = Library.open(data.dir)) {
            if (!library.delete(id)) {
                System.err.println(TerminalText.escape("offline-commons: there is no pack '" + id + "' in " + data.dir));
                return Main.EXIT_REFUSED;
            }
            System.out.println("Deleted '" + id + "'");
        }
        return 0;
    }
}
