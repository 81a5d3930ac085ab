package org.offlinecommons.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.offlinecommons.admin.AdminPassword;
import org.offlinecommons.app.Services;
import org.offlinecommons.store.SpareSpace;
import org.offlinecommons.store.StoreException;
import org.offlinecommons.discovery.Discovery;
import org.offlinecommons.drive.AutoImporter;
import org.offlinecommons.drive.ByteSize;
import org.offlinecommons.drive.DriveSettings;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.BundledPacks;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.pack.PackLimits;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.Library;
import org.offlinecommons.sync.PullRequests;
import org.offlinecommons.web.Languages;
import org.offlinecommons.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

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

    @Option(names = "--max-upload", paramLabel = "SIZE", defaultValue = "8GB",
            description = "Largest pack the admin may upload through the browser or the API. Default: ${DEFAULT-VALUE}")
    String maxUpload;

    @Option(names = "--sync-token", paramLabel = "TOKEN", description = {"For closed networks: peers must send this"
            + " token (Authorization: Bearer TOKEN) to pull from /sync/v1/. At least 16 characters, e.g. from"
            + " `openssl rand -hex 16`. Default: the sync tree is open to the LAN, read-only"})
    String syncToken;

    @Option(names = "--sync-token-file", paramLabel = "FILE",
            description = "Read the sync token from the first line of FILE, which keeps it out of the process list")
    Path syncTokenFile;

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "Serve HTTPS with this certificate (chain) in PEM format; needs --tls-key. Default: plain HTTP")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The certificate's private key (PEM, unencrypted)")
    Path tlsKey;

    @Option(names = "--language", paramLabel = "TAG", description = {"The interface's language for visitors whose"
            + " browser asks for none it has, e.g. fr, ar, pt-BR (Portuguese). Visitors may still choose another"
            + " on every page. Default: the system's language if the interface has it, else English"})
    String language;

    @Option(names = "--no-discovery", description = {"Do not announce this server on the network, nor look for"
            + " other servers (mDNS and UDP broadcast). Peers can still be added by address. Default: discovery on"})
    boolean noDiscovery;

    @Option(names = "--discovery-interface", paramLabel = "NAME", description = {"Announce and look for peers on"
            + " this network interface only (e.g. eth0). Default: every interface with an IPv4 address"})
    String discoveryInterface;

    @Option(names = "--scrub-rate", paramLabel = "SIZE", defaultValue = "4MiB",
            description = {"Re-check every stored chunk in the background at this many bytes per second, to find a"
                    + " disk's damage before anyone asks for it (0: never). Default: ${DEFAULT-VALUE}"})
    String scrubRate;

    @Option(names = "--no-downloads", description = {"Do not offer packs to download as zip or ZIM files"
            + " (/download answers 404, the pages and the OPDS catalog show no download links)."})
    boolean noDownloads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        long reserveBytes = ImportCommand.reserveBytes(spec, reserve);
        WebServer.Options options = webOptions();
        Library library = Library.open(data.dir);
        PullRequests.accept(library, acceptSyncRequests);
        // Leftovers of imports that were killed long ago; recent ones may still be resumed.
        try {
            if (!library.readOnly()) {
                library.chunks().sweep(ChunkStore.DEFAULT_GRACE);
            }
        } catch (StoreException e) {
            // A full disk may refuse even the sweep's deletes: serving what is there matters more.
            log().warn("Could not sweep leftovers of old imports now: {}", e.getMessage());
        }
        BundledPacks bundled = new BundledPacks(packs);
        if (library.readOnly()) {
            System.err.println("offline-commons: the disk holding " + TerminalText.escape(data.dir.toString())
                    + " is full: serving what the library holds, read-only; free some space and start again"
                    + " to import or delete packs");
        } else {
            bundled.buildSources();
        }
        for (BundledPacks.Outcome o : library.readOnly() ? List.<BundledPacks.Outcome>of() : bundled.importNewer(library,
                new PackImporter(library, PackLimits.DEFAULT, reserveBytes))) {
            if (o.error() != null) {
                System.err.println(TerminalText.escape("offline-commons: skipped " + o.file() + ": " + o.error()));
            } else {
                System.out.println(ImportCommand.describe(o.file(), o.result()));
            }
        }
        JobRunner jobs = new JobRunner();
        Drives drives = new Drives(library, DriveSettings.of(data.dir).withMountRoots(driveRoots)
                .withReserve(reserveBytes));
        Services services = Services.create(library, jobs, drives, options.maxUploadBytes())
                .withDownloads(!noDownloads);
        WebServer server;
        try {
            server = WebServer.start(services, options);
        } catch (IllegalArgumentException e) { // the TLS files
            System.err.println("offline-commons: " + TerminalText.escape(e.getMessage()));
            services.close();
            jobs.close();
            library.close();
            return Main.EXIT_REFUSED;
        }
        // A first start makes up the admin password once the web server answers: PBKDF2 is slow on
        // purpose and would take a core from the start (docs/performance.md "Startup"); pupils need
        // not wait for it. It is shown only once stored, so nobody can try it before it works.
        // Printed, never logged: it must not end up in log files or the journal.
        new AdminPassword(library).createIfMissing().ifPresent(password -> {
            System.out.println("Admin password (shown only this once; write it down): " + password);
            System.out.println("Change it with: offline-commons admin-password --data " + data.dir);
        });
        if (!library.readOnly()) {
            // Space to delete packs with, should another program fill the disk later (SpareSpace).
            CompletableFuture.runAsync(() -> SpareSpace.keep(data.dir));
        }
        Discovery discovery = Discovery.start(library, services.peers().directory(),
                new Discovery.Settings(!noDiscovery, discoveryInterface, bind), server.port(), server.scheme());
        // Imports, syncs and uploads end as jobs: announce the new catalog at once (deletes are seen within seconds).
        jobs.addListener((kind, succeeded) -> discovery.catalogChanged());
        AutoImporter watcher = autoImport ? AutoImporter.start(drives, services.driveImports()) : null;
        long scrubBytes;
        try {
            scrubBytes = org.offlinecommons.drive.ByteSize.parse(scrubRate);
        } catch (IllegalArgumentException e) {
            scrubBytes = 4L << 20;
            log().warn("--scrub-rate: {}; using 4 MiB/s", e.getMessage());
        }
        // First pass a while after the start, when pupils' first requests are answered; then weekly.
        AutoCloseable scrub = scrubBytes <= 0 ? () -> { } : services.healing().scrub()
                .startBackground(java.time.Duration.ofMinutes(10), java.time.Duration.ofDays(7), scrubBytes);
        AtomicBoolean stopping = new AtomicBoolean();
        // Order matters: stop taking work, drain requests in flight (bounded, see WebServer), interrupt
        // jobs (imports and syncs resume from their stored chunks), and only then close the database.
        Runnable stop = () -> {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            if (watcher != null) {
                watcher.close();
            }
            discovery.close(); // says goodbye on mDNS while the server still answers
            server.close();
            services.close();
            jobs.close();
            try {
                scrub.close();
            } catch (Exception e) {
                log().warn("Scrub did not stop: {}", e.getMessage());
            }
            library.close();
            log().info("Offline Commons stopped");
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "shutdown"));
        // systemctl stop sends SIGTERM: handled here so a clean stop exits 0 instead of the JVM's 143.
        CountDownLatch stopRequested = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stopRequested.countDown());
        }
        int packs = library.catalog().count();
        System.out.println("Offline Commons is serving " + packs + (packs == 1 ? " pack" : " packs") + " at "
                + server.url());
        System.out.flush();
        stopRequested.await();
        log().info("Stopping: finishing requests in flight, then closing the library");
        stop.run();
        return 0;
    }

    /** Not a static field: picocli creates this command while logging may still be starting (see WarmUp). */
    private static Logger log() {
        return LoggerFactory.getLogger(ServeCommand.class);
    }

    private WebServer.Options webOptions() {
        WebServer.Options options = new WebServer.Options(bind, port).withAdminLogin();
        try {
            options = options.withMaxUpload(ByteSize.parse(maxUpload));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--max-upload: " + e.getMessage());
        }
        String token = syncToken;
        if (syncTokenFile != null) {
            if (token != null) {
                throw new ParameterException(spec.commandLine(), "Give --sync-token or --sync-token-file, not both");
            }
            token = AdminPasswordCommand.firstLine(spec, syncTokenFile, "--sync-token-file");
        }
        if (token != null) {
            token = token.strip();
            if (token.length() < 16) {
                throw new ParameterException(spec.commandLine(), "The sync token must have at least 16 characters;"
                        + " make one with: openssl rand -hex 16");
            }
            options = options.withSyncToken(token);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "HTTPS needs both --tls-cert and --tls-key");
        }
        if (tlsCert != null) {
            options = options.withTls(tlsCert, tlsKey);
        }
        if (language != null) {
            Languages languages = Languages.load(null);
            String tag = languages.match(language);
            if (tag == null) {
                throw new ParameterException(spec.commandLine(), "--language: the interface has no translation for '"
                        + language.strip() + "'; it has " + String.join(", ", languages.tags()));
            }
            options = options.withLanguage(Locale.forLanguageTag(tag));
        }
        return options;
    }
}
