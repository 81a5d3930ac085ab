package org.offlinecommons.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.Library;
import org.offlinecommons.sync.MirrorWriter;
import org.offlinecommons.sync.SyncTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "mirror", mixinStandardHelpOptions = true,
        description = {"Write the library's sync tree as plain files into DIR/" + SyncTree.ROOT + "/.",
                "Any web server that publishes DIR (nginx, python3 -m http.server) is then a source for"
                        + " 'offline-commons sync'. Running it again on the same DIR updates the mirror."})
final class MirrorCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "Folder to write the mirror into (a USB stick, a web root).")
    Path dir;

    @Option(names = "--pack", paramLabel = "ID", description = "Mirror only this pack (repeatable). Default: all.")
    List<String> packs = new ArrayList<>();

    @Mixin
    DataOption data;

    @Override
    public Integer call() {
        try (Library library = Library.open(data.dir)) {
            ConsoleProgress bar = new ConsoleProgress(System.err, "Mirroring");
            MirrorWriter.Result r;
            try {
                r = new MirrorWriter(library).write(dir, packs, bar);
            } finally {
                bar.finish();
            }
            System.out.printf("Mirrored %d packs into %s: %s written, %s already there%s.%n", r.packs(),
                    dir.resolve(SyncTree.ROOT), Sizes.human(r.bytesWritten()), Sizes.human(r.bytesKept()),
                    r.filesRemoved() > 0 ? ", " + r.filesRemoved() + " files no longer needed removed" : "");
            System.out.println("Publish " + dir + " with any web server; peers then run:"
                    + " offline-commons sync http://HOST:PORT/<where " + dir.getFileName() + " is published>");
        }
        return 0;
    }
}
