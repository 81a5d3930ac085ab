package org.offlinecommons.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.offlinecommons.drive.ByteSize;
import org.offlinecommons.drive.DriveSettings;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.drive.FoundPack;
import org.offlinecommons.pack.ImportResult;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.pack.PackLimits;
import org.offlinecommons.store.Library;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Check pack zips or Kiwix ZIM files and add them to the library.",
                "Each pack appears whole or not at all; a refused pack changes nothing."})
final class ImportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Pack zips or ZIM files (FILE.zim, or the first"
            + " part FILE.zimaa of a split one) to import.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--from-drive", paramLabel = "PATH",
            description = "Import every pack found on this drive or folder (a few levels deep) that is new or"
                    + " newer than the installed one; report the invalid ones. Repeatable.")
    List<Path> drives = new ArrayList<>();

    @Option(names = "--reserve", paramLabel = "SIZE", defaultValue = "64MiB",
            description = "Disk space to leave free; a pack that would eat into it is refused. Default: ${DEFAULT-VALUE}")
    String reserve;

    @Mixin
    DataOption data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (files.isEmpty() && drives.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Name pack zips or ZIM files to import, or --from-drive PATH");
        }
        long reserveBytes = reserveBytes(spec, reserve);
        int failures = 0;
        try (Library library = Library.open(data.dir)) {
            PackImporter importer = new PackImporter(library, PackLimits.DEFAULT, reserveBytes);
            for (Path file : files) {
                failures += importOne(importer, file) ? 0 : 1;
            }
            Drives found = new Drives(library, DriveSettings.of(data.dir).withReserve(reserveBytes));
            for (Path drive : drives) {
                List<FoundPack> packs = new ArrayList<>(found.packsIn(drive));
                // Highest versions first: with v2 and v3 on a stick, v3 goes in and v2 is then older.
                packs.sort(Comparator.comparingLong(FoundPack::version).reversed());
                if (packs.isEmpty()) {
                    System.out.println(TerminalText.escape(drive + ": no pack zips found"));
                }
                for (FoundPack listed : packs) {
                    // Looked at again just before: an import a moment ago may have made it older.
                    FoundPack p = found.inspect(listed.file()).orElse(listed);
                    switch (p.state()) {
                        case NEW, NEWER -> failures += importOne(importer, p.file()) ? 0 : 1;
                        case INSTALLED -> System.out.println(TerminalText.escape(String.format(
                                "%s: '%s' version %d is already installed; nothing to do", p.fileName(), p.packId(),
                                p.version())));
                        case OLDER -> System.out.println(TerminalText.escape(String.format(
                                "%s: skipped, older than the installed version %d", p.fileName(), p.installedVersion())));
                        default -> {
                            System.err.println("offline-commons: " + TerminalText.escape(p.file().getParent() + "/" + p.detail()));
                            failures++;
                        }
                    }
                }
            }
        }
        return failures == 0 ? 0 : Main.EXIT_REFUSED;
    }

    private static boolean importOne(PackImporter importer, Path file) {
        ConsoleProgress progress = new ConsoleProgress(System.err, TerminalText.escape("Importing " + file.getFileName()));
        try {
            ImportResult r = importer.importPack(file, progress);
            progress.finish();
            System.out.println(TerminalText.escape(describe(file, r)));
            return true;
        } catch (PackException e) {
            progress.finish();
            System.err.println("offline-commons: " + TerminalText.escape(e.getMessage()));
            return false;
        }
    }

    static long reserveBytes(CommandSpec spec, String text) {
        try {
            return ByteSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--reserve: " + e.getMessage());
        }
    }

    static String describe(Path file, ImportResult r) {
        return file.getFileName() + ": " + r.summary();
    }
}
