package org.offlinecommons.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.offlinecommons.job.Job;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobState;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.pack.DiskReserve;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.Library;
import org.offlinecommons.sync.PackPuller;
import org.offlinecommons.sync.LibraryTree;
import org.offlinecommons.sync.PeerClient;
import org.offlinecommons.sync.PeerPulls;
import org.offlinecommons.sync.PullGrants;
import org.offlinecommons.sync.PeerUrl;
import org.offlinecommons.sync.SyncException;
import org.offlinecommons.sync.SyncStatus;
import org.offlinecommons.web.sync.SyncTreeServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Pull packs from another Offline Commons server, or from a mirror folder on any web server.",
                "Only content not already stored here crosses the network; everything is verified before a pack"
                        + " appears, and an interrupted sync resumes where it stopped when run again."})
final class SyncCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PEER_URL", description = {"The peer's base URL: a server (http://10.0.0.2:8080) or"
            + " the folder a mirror was written to, as a web server publishes it (http://host/stick)."})
    String peer;

    @Option(names = "--pack", paramLabel = "ID", description = "Pull only this pack (repeatable). Default: all.")
    List<String> packs = new ArrayList<>();

    @Option(names = "--dry-run", description = "Only show what the peer has that this library lacks, and how much"
            + " a sync would transfer.")
    boolean dryRun;

    @Option(names = "--both", description = {"Then ask the peer to pull from this library too. The peer decides:"
            + " it must run with --accept-sync-requests. Meanwhile this command serves this library's sync tree"
            + " (read-only) on --both-port."})
    boolean both;

    @Option(names = "--both-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port for --both to serve on; 0 picks a free one. Default: ${DEFAULT-VALUE}")
    int bothPort;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "" + PackPuller.DEFAULT_CONNECTIONS,
            description = "Parallel downloads. Default: ${DEFAULT-VALUE}")
    int connections;

    @Option(names = "--reserve", paramLabel = "SIZE", defaultValue = "64MiB",
            description = "Disk space to leave free; a pack that would eat into it is refused. Default: ${DEFAULT-VALUE}")
    String reserve;

    @Option(names = "--token", paramLabel = "TOKEN", description = {"The peer's sync token, when it runs with"
            + " serve --sync-token. Prefer --token-file: a token on the command line shows in the process list."})
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the peer's sync token from the first line of FILE")
    Path tokenFile;

    @Mixin
    DataOption data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        URI base;
        try {
            base = PeerUrl.parse(peer);
        } catch (SyncException e) {
            System.err.println("offline-commons: " + TerminalText.escape(e.getMessage()));
            return Main.EXIT_REFUSED;
        }
        DiskReserve keep = new DiskReserve(ImportCommand.reserveBytes(spec, reserve));
        String secret = secret();
        PeerClient client;
        try {
            client = new PeerClient(base, secret);
        } catch (SyncException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (Library library = Library.open(data.dir); JobRunner jobs = new JobRunner(1)) {
            // The same use case, job and progress as a pull started from the web, minus the catalog cache.
            PeerPulls pulls = new PeerPulls(library, jobs, keep, new PullGrants(), url -> { });
            Job job = pulls.start(new PeerPulls.Pull(base, secret, packs, dryRun, "Sync from " + base,
                    "Pulling from " + base, 0, connections));
            JobStatus end = follow(jobs, job, new ConsoleProgress(System.err, "Pulling"));
            SyncStatus status = pulls.progress(job.id()).orElseThrow();
            if (status.phase() == SyncStatus.Phase.FAILED) {
                System.err.println("offline-commons: " + TerminalText.escape(status.error()));
                System.err.println("Nothing was changed here.");
                return Main.EXIT_REFUSED;
            }
            if (status.phase() != SyncStatus.Phase.DONE) {
                // Failed otherwise before its plan was made (the library, say): the job says why.
                System.err.println("offline-commons: " + TerminalText.escape(end.error()));
                return Main.EXIT_REFUSED;
            }
            for (SyncStatus.PackStatus p : status.packs()) {
                System.out.println(line(p, dryRun));
            }
            System.out.println(status.summary());
            if (end.state() != JobState.SUCCEEDED) {
                if (status.error() != null) {
                    System.err.println("offline-commons: " + TerminalText.escape(status.error()));
                }
                return Main.EXIT_REFUSED;
            }
            if (both && !dryRun) {
                return askPeerToPull(library, pulls, client);
            }
        }
        return 0;
    }

    private String secret() {
        String secret = token;
        if (tokenFile != null) {
            if (secret != null) {
                throw new ParameterException(spec.commandLine(), "Give --token or --token-file, not both");
            }
            secret = AdminPasswordCommand.firstLine(spec, tokenFile, "--token-file");
        }
        return secret == null ? null : secret.strip();
    }

    /** Waits for the job, drawing its progress (the same numbers the jobs API shows) meanwhile. */
    private static JobStatus follow(JobRunner jobs, Job job, ConsoleProgress bar) throws InterruptedException {
        while (true) {
            try {
                JobStatus end = jobs.await(job.id(), Duration.ofMillis(200)).orElseThrow();
                bar.finish();
                return end;
            } catch (TimeoutException e) {
                JobStatus now = job.status();
                if (now.totalBytes() > 0) {
                    bar.update(now.doneBytes(), now.totalBytes());
                }
            }
        }
    }

    static String line(SyncStatus.PackStatus p, boolean dryRun) {
        String versions = p.versionHere() == null || p.versionHere() == p.versionThere()
                ? "v" + p.versionThere() : "v" + p.versionHere() + " -> v" + p.versionThere();
        String what;
        String detail;
        if (dryRun || p.state() == SyncStatus.State.PENDING) {
            what = switch (p.action()) {
                case ADD -> "add";
                case UPDATE -> "update";
                case UP_TO_DATE -> "same";
                case NEWER_HERE -> "newer here";
                case CONFLICT -> "conflict";
                case REFUSED -> "refused";
            };
            detail = p.action().pulls() ? Sizes.human(p.size()) + ", " + Sizes.human(p.bytesToFetch())
                    + " to transfer" : p.message();
        } else {
            what = p.state().name().toLowerCase(java.util.Locale.ROOT);
            detail = switch (p.state()) {
                case ADDED, UPDATED -> Sizes.human(p.size()) + ", " + Sizes.human(p.bytesFetched()) + " transferred";
                default -> p.message();
            };
        }
        return String.format("  %-10s %-24s %-14s %s", what, p.id(), versions, detail == null ? "" : detail);
    }

    private int askPeerToPull(Library library, PeerPulls pulls, PeerClient client) throws InterruptedException {
        try (SyncTreeServer server = SyncTreeServer.start(library, new LibraryTree(library), "0.0.0.0",
                bothPort)) {
            System.out.println("Asking the peer to pull from this library on port " + server.port() + " ...");
            PeerPulls.AskedBack asked = pulls.askBack(client, server.port());
            System.out.println("The peer pulls from this library at " + asked.ours() + ".");
            String job = asked.jobId();
            ConsoleProgress bar = new ConsoleProgress(System.err, "Peer pulling");
            PeerClient.RemoteJob state;
            int failures = 0;
            long shown = -1;
            while (true) {
                try {
                    state = client.pullRequestStatus(job);
                    failures = 0;
                } catch (SyncException e) {
                    if (++failures >= 5) {
                        throw e;
                    }
                    Thread.sleep(1000);
                    continue;
                }
                if (state.totalBytes() > 0 && state.doneBytes() != shown) {
                    shown = state.doneBytes();
                    bar.update(shown, state.totalBytes());
                }
                if (state.finished()) {
                    break;
                }
                Thread.sleep(500);
            }
            bar.finish();
            if (state.state().equals("SUCCEEDED")) {
                System.out.println("The peer: " + state.message());
                return 0;
            }
            System.err.println("offline-commons: the peer's pull failed: " + TerminalText.escape(state.error()));
            return Main.EXIT_REFUSED;
        } catch (SyncException e) {
            System.err.println("offline-commons: " + TerminalText.escape(e.getMessage()));
            return Main.EXIT_REFUSED;
        }
    }
}
