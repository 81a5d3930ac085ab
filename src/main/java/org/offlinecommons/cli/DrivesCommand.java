package org.offlinecommons.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.offlinecommons.drive.DriveReport;
import org.offlinecommons.drive.DriveSettings;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.drive.FoundPack;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.Library;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "drives", mixinStandardHelpOptions = true,
        description = {"List the USB drives (and the inbox, DATA/inbox) and the packs on them:"
                + " new, newer than installed, installed, older, or invalid with the reason.",
                "Only reads the drives. Import with: offline-commons import --from-drive PATH"})
final class DrivesCommand implements Callable<Integer> {

    @Option(names = "--drives", paramLabel = "PATH", arity = "1..*",
            description = "Folders where drives appear, each folder in them being a drive. Default: /media/*,"
                    + " /media/*/*, /mnt/*, /run/media/*/*")
    List<Path> roots = new ArrayList<>();

    @Mixin
    DataOption data;

    @Override
    public Integer call() {
        try (Library library = Library.open(data.dir)) {
            DriveSettings settings = DriveSettings.of(data.dir).withMountRoots(roots);
            Drives drives = new Drives(library, settings);
            List<DriveReport> reports = drives.scan();
            for (DriveReport r : reports) {
                System.out.println(heading(r));
                if (r.packs().isEmpty()) {
                    System.out.println("  no pack zips");
                }
                for (FoundPack p : r.packs()) {
                    System.out.println(line(r, p));
                }
                if (r.partial()) {
                    System.out.println("  (this drive holds many files; only the first were looked at)");
                }
            }
            if (reports.stream().allMatch(r -> r.drive().inbox())) {
                System.out.println("No drives found in " + String.join(", ", settings.mountRoots().stream()
                        .map(m -> m.path() + "/*".repeat(m.depth())).distinct().toList()));
            }
        }
        return 0;
    }

    private static String heading(DriveReport r) {
        StringBuilder s = new StringBuilder(r.drive().inbox() ? "Inbox " + r.drive().path() : r.drive().path().toString());
        List<String> facts = new ArrayList<>();
        if (r.fileSystem() != null) {
            facts.add(r.fileSystem());
        }
        if (r.freeBytes() >= 0) {
            facts.add(Sizes.human(r.freeBytes()) + " free of " + Sizes.human(r.totalBytes()));
        }
        if (!facts.isEmpty()) {
            s.append(" (").append(String.join(", ", facts)).append(")");
        }
        return s.toString();
    }

    private static String line(DriveReport r, FoundPack p) {
        String where = r.drive().path().relativize(p.file()).toString();
        String state = p.state().id().toUpperCase(Locale.ROOT);
        if (p.packId() == null) {
            return String.format("  %-9s %s: %s", state, where, withoutFileName(p));
        }
        String detail = switch (p.state()) {
            case NEW, NEWER, INSTALLED -> " (" + p.detail() + ")";
            default -> ": " + withoutFileName(p);
        };
        return String.format("  %-9s %s: '%s' version %d, %s, %s%s", state, where, p.packId(), p.version(), p.title(),
                Sizes.human(p.packBytes()), detail);
    }

    /** Details name their file first; the line already does. */
    private static String withoutFileName(FoundPack p) {
        String prefix = p.fileName() + ": ";
        return p.detail().startsWith(prefix) ? p.detail().substring(prefix.length()) : p.detail();
    }
}
