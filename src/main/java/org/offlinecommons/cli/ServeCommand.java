package org.offlinecommons.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.BundledPacks;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.Library;
import org.offlinecommons.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Override
    public Integer call() throws InterruptedException {
        Library library = Library.open(data.dir);
        // Leftovers of imports that were killed long ago; recent ones may still be resumed.
        library.chunks().sweep(ChunkStore.DEFAULT_GRACE);
        BundledPacks bundled = new BundledPacks(packs);
        bundled.buildSources();
        for (BundledPacks.Outcome o : bundled.importNewer(library, new PackImporter(library))) {
            if (o.error() != null) {
                System.err.println("offline-commons: skipped " + o.file() + ": " + o.error());
            } else {
                System.out.println(ImportCommand.describe(o.file(), o.result()));
            }
        }
        JobRunner jobs = new JobRunner();
        WebServer server = WebServer.start(library, jobs, new WebServer.Options(bind, port));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
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
