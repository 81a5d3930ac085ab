package org.offlinecommons.cli;

import java.util.concurrent.Callable;
import org.offlinecommons.store.Library;
import org.offlinecommons.sync.LibraryRepair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Find damaged chunks (stored bytes that no longer match their SHA-256) and fetch good"
                + " copies by hash from a peer server or a mirror folder; each copy is checked before it is"
                + " stored. Exit 0 when nothing is left damaged, 3 otherwise."})
final class RepairCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "PEER_URL|DIR",
            description = "A peer server (http://host:port) or a folder written by 'mirror'.")
    String from;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The peer's sync token, if it asks for one.")
    String token;

    @Option(names = "--recorded-only",
            description = "Repair only the damage already recorded (by reads, the scrub or verify);"
                    + " by default every chunk is checked again first.")
    boolean recordedOnly;

    @Mixin
    DataOption data;

    @Override
    public Integer call() throws InterruptedException {
        LibraryRepair.Source source = LibraryRepair.source(from, token);
        try (Library library = Library.open(data.dir)) {
            ConsoleProgress progress = new ConsoleProgress(System.err, "Checking");
            LibraryRepair.Result r;
            try {
                r = new LibraryRepair(library).repair(source, !recordedOnly, progress);
            } finally {
                progress.finish();
            }
            if (r.damaged() == 0) {
                System.out.println("OK: no damaged chunks");
                return 0;
            }
            System.out.printf("Repaired %d of %d damaged chunks from %s%n", r.repaired(), r.damaged(),
                    TerminalText.escape(source.describe()));
            for (String left : r.unrepaired()) {
                System.out.println("STILL DAMAGED: " + TerminalText.escape(left) + ": the source has no good copy");
            }
            return r.unrepaired().isEmpty() ? 0 : Main.EXIT_DAMAGED;
        }
    }
}
