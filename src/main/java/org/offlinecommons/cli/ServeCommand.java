package org.offlinecommons.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.offlinecommons.drive.AutoImporter;
import org.offlinecommons.drive.DriveImports;
import org.offlinecommons.drive.DriveSettings;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.BundledPacks;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.pack.PackLimits;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.Library;
import org.offlinecommons.sync.PullRequests;
import org.offlinecommons.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the library over HTTP.",
                "On start, imports every pack in --packs that is new or newer than the installed one."})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    DataOption data;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDR",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (every network interface)")
    String bind;

    @Option(names = "--packs", defaultValue = "content-packs", paramLabel = "DIR",
            description = "Folder of bundled packs to import on start. Default: ${DEFAULT-VALUE}")
    Path packs;

    @Option(names = "--accept-sync-requests", description = {"Let peers on the network ask this server to pull"
            + " packs from them (sync --both). It only ever pulls, verified, from the machine that asks."
            + " Default: off"})
    boolean acceptSyncRequests;

    @Option(names = "--drives", paramLabel = "PATH", arity = "1..*",
            description = "Folders where USB drives appear, each folder in them being a drive. Default: /media/*,"
                    + " /media/*/*, /mnt/*, /run/media/*/*. The inbox (DATA/inbox) is always watched.")
    List<Path> driveRoots = new ArrayList<>();

    @Option(names = "--auto-import", description = "Import new and newer packs from the inbox and drives as soon as"
            + " their files are complete (unchanged for a few seconds). Default: off")
    boolean autoImport;

    @Option(names = "--reserve", paramLabel = "SIZE", defaultValue = "64MiB",
            description = "Disk space every import leaves free. Default: ${DEFAULT-VALUE}")
    String reserve;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        long reserveBytes = ImportCommand.reserveBytes(spec, reserve);
        Library library = Library.open(data.dir);
        PullRequests.accept(library, acceptSyncRequests);
        // Leftovers of imports that were killed long ago; recent ones may still be resumed.
        library.chunks().sweep(ChunkStore.DEFAULT_GRACE);
        BundledPacks bundled = new BundledPacks(packs);
        bundled.buildSources();
        for (BundledPacks.Outcome o : bundled.importNewer(library,
                new PackImporter(library, PackLimits.DEFAULT, reserveBytes))) {
            if (o.error() != null) {
                System.err.println("offline-commons: skipped " + o.file() + ": " + o.error());
            } else {
                System.out.println(ImportCommand.describe(o.file(), o.result()));
            }
        }
        JobRunner jobs = new JobRunner();
        Drives drives = new Drives(library, DriveSettings.of(data.dir).withMountRoots(driveRoots)
                .withReserve(reserveBytes));
        WebServer server = WebServer.start(library, jobs, new WebServer.Options(bind, port), drives);
        AutoImporter watcher = autoImport ? AutoImporter.start(drives, new DriveImports(drives, jobs)) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (watcher != null) {
                watcher.close();
            }
            server.close();
            jobs.close();
            library.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("Offline Commons is serving " + library.catalog().packs().size() + " packs at "
                + server.url());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
