package org.offlinecommons.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.offlinecommons.app.PackDownloads;
import org.offlinecommons.drive.Disks;
import org.offlinecommons.drive.DriveExporter;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackExporter;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.Library;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write installed packs out as pack zips, byte-identical content.",
                "--out FILE.zip writes one pack to a file; --to DIR writes each pack to DIR/ID-vVERSION.zip"
                        + " (a USB drive, say), checking free space first and reading every copy back;"
                        + " --zim FILE.zim writes one pack as a ZIM file for Kiwix."})
final class ExportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", arity = "1..*", description = "The packs to export.")
    List<String> ids;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--out", paramLabel = "FILE.zip", description = "Write the one pack to this file.")
        Path out;

        @Option(names = "--to", paramLabel = "DIR", description = "Write the packs into this folder or drive.")
        Path to;

        @Option(names = "--zim", paramLabel = "FILE.zim", description = {"Write the one pack as a ZIM file, for"
                + " Kiwix readers (the same bytes as the server's /download/ID.zim)."})
        Path zim;
    }

    @Mixin
    DataOption data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if ((target.out != null || target.zim != null) && ids.size() > 1) {
            throw new ParameterException(spec.commandLine(), (target.out != null ? "--out" : "--zim")
                    + " writes one pack; to export several, use --to DIR");
        }
        try (Library library = Library.open(data.dir)) {
            if (target.zim != null) {
                String id = ids.get(0);
                ConsoleProgress progress = new ConsoleProgress(System.err, "Writing " + id + " as a ZIM");
                PackDownloads.Download zim = new PackDownloads(library, true).prepare(id, PackDownloads.Kind.ZIM,
                        progress);
                writeAtomically(target.zim, zim);
                progress.finish();
                System.out.println("Wrote " + target.zim + " (" + Sizes.human(zim.length()) + ")");
                return 0;
            }
            if (target.out != null) {
                String id = ids.get(0);
                ConsoleProgress progress = new ConsoleProgress(System.err, "Exporting " + id);
                new PackExporter(library).export(id, target.out, progress);
                progress.finish();
                System.out.println("Wrote " + target.out);
                return 0;
            }
            ConsoleProgress progress = new ConsoleProgress(System.err, "Exporting");
            List<DriveExporter.Written> written;
            try {
                written = new DriveExporter(library, Disks.SYSTEM).export(ids, target.to, progress);
            } finally {
                progress.finish();
            }
            for (DriveExporter.Written w : written) {
                System.out.printf("%s: %s ('%s' version %d, %s), read back and checked%n", w.file(),
                        w.alreadyThere() ? "already there" : "written", w.packId(), w.version(), Sizes.human(w.bytes()));
            }
        }
        return 0;
    }

    /** Through a temporary file beside the target, renamed at the end: no half ZIM under the real name. */
    private static void writeAtomically(Path target, PackDownloads.Download download) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 256 * 1024)) {
                download.writeAll(out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new PackException(PackException.Reason.IO, target + ": cannot write the ZIM (" + e.getMessage() + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort: a stray .part file is harmless and named as such.
                }
            }
        }
    }
}
