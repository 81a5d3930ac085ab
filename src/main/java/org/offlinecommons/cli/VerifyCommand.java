package org.offlinecommons.cli;

import java.util.concurrent.Callable;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Re-read and re-hash everything stored; report any damage (exit 3 if found).")
final class VerifyCommand implements Callable<Integer> {

    @Mixin
    DataOption data;

    @Override
    public Integer call() {
        try (Library library = Library.open(data.dir)) {
            return verify(library);
        } catch (StoreException e) {
            // A library that cannot even be opened or read is damage too, not a refused request.
            System.out.println("DAMAGED: " + TerminalText.escape(e.getMessage()));
            return Main.EXIT_DAMAGED;
        }
    }

    private static Integer verify(Library library) {
        ConsoleProgress progress = new ConsoleProgress(System.err, "Verifying");
        LibraryVerifier.Report report = new LibraryVerifier(library).verify(progress);
        progress.finish();
        if (report.ok()) {
            System.out.printf("OK: %d packs, %d files, %s checked, no damage%n", report.packs(), report.files(),
                    Sizes.human(report.bytes()));
            return 0;
        }
        for (String problem : report.problems()) {
            System.out.println("DAMAGED: " + TerminalText.escape(problem));
        }
        System.out.printf("%d problems found in %d packs%n", report.problems().size(), report.packs());
        return Main.EXIT_DAMAGED;
    }
}
