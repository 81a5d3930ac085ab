package org.offlinecommons.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.offlinecommons.discovery.PeerDirectory;
import org.offlinecommons.discovery.PeerSurvey;
import java.util.stream.Stream;
import org.offlinecommons.drive.Drive;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.Job;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.store.DaemonThreads;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryScrub;
import org.offlinecommons.sync.LibraryRepair;
import org.offlinecommons.sync.PeerClient;
import org.offlinecommons.sync.SyncException;
import org.offlinecommons.sync.SyncTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A library that heals itself: damaged chunks are fetched again, by hash, from every known peer
 * (found on the network or added by address) and mirror trees on drives, as a job in the server's one job runner. The
 * admin's "Repair" button starts it; so does new damage (a read that met it, a scrub pass that
 * found it), on its own, a little later, so that a burst of damaged reads starts one repair.
 */
public final class LibraryHealing implements AutoCloseable {

    public static final String KIND = "repair";
    private static final Logger LOG = LoggerFactory.getLogger(LibraryHealing.class);

    private final Library library;
    private final JobRunner jobs;
    private final PeerSurvey peers;
    private final LibraryScrub scrub;
    private final Drives drives;
    private final Duration delay;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("library-healing"));
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private Job current;

    /** Folders of a drive looked at for a mirror tree: its root and this many below it. */
    private static final int MIRROR_FOLDERS_LOOKED_AT = 100;

    /**
     * Listens for damage recorded in {@code library} and after each pass of {@code scrub}. Good
     * copies come from the known peers, then from mirror trees on {@code drives}.
     *
     * @param delay how long after new damage the self-healing repair starts (reads that meet the
     *              same damage meanwhile add nothing)
     */
    public LibraryHealing(Library library, JobRunner jobs, PeerSurvey peers, LibraryScrub scrub, Drives drives,
                          Duration delay) {
        this.library = library;
        this.drives = drives;
        this.jobs = jobs;
        this.peers = peers;
        this.scrub = scrub;
        this.delay = delay;
        library.chunks().onNewDamage(this::healSoon);
        scrub.afterPass(report -> {
            if (!report.damaged().isEmpty()) {
                healSoon();
            }
        });
    }

    /** The server's scrub, whose progress the admin and /metrics show. */
    public LibraryScrub scrub() {
        return scrub;
    }

    /** Starts a repair from every known peer, or returns the repair already running. */
    public synchronized Job repair() {
        if (current != null && !current.status().state().finished()) {
            return current;
        }
        current = jobs.submit(KIND, "Repair damaged content from peers", this::heal);
        return current;
    }

    /** Self-healing: a repair soon, if there is damage and a peer to ask. Returns at once. */
    public void healSoon() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                timer.schedule(() -> {
                    scheduled.set(false);
                    try {
                        if (!library.chunks().damaged().isEmpty()
                                && (!knownPeers().isEmpty() || !mirrors().isEmpty())) {
                            LOG.info("Damaged content found: repairing it from known peers");
                            repair();
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("Self-healing could not start: {}", e.getMessage());
                    }
                }, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                scheduled.set(false); // closed
            }
        }
    }

    private String heal(Job job) throws InterruptedException {
        int before = library.chunks().damaged().size();
        if (before == 0) {
            return "Nothing is damaged";
        }
        List<PeerDirectory.Peer> known = knownPeers();
        List<Path> mirrors = mirrors();
        if (known.isEmpty() && mirrors.isEmpty()) {
            throw new IllegalStateException(before + " damaged chunks, and no known peer nor mirror on a drive to"
                    + " fetch them from: add a peer on the peers page, or run 'offline-commons repair --from PEER_URL|DIR'");
        }
        List<String> unreachable = new ArrayList<>();
        LibraryRepair repair = new LibraryRepair(library);
        int asked = 0;
        for (PeerDirectory.Peer peer : known) {
            if (library.chunks().damaged().isEmpty()) {
                break;
            }
            job.message("Asking " + peer.url());
            asked++;
            try {
                repair.repair(new LibraryRepair.Peer(new PeerClient(peer.url(), peers.tokens().token(peer.url()))),
                        false, org.offlinecommons.store.ProgressListener.NONE);
            } catch (SyncException e) {
                unreachable.add(peer.url() + " (" + e.getMessage() + ")");
            }
        }
        for (Path mirror : mirrors) {
            if (library.chunks().damaged().isEmpty()) {
                break;
            }
            job.message("Looking in " + mirror);
            asked++;
            repair.repair(new LibraryRepair.MirrorFolder(mirror), false, org.offlinecommons.store.ProgressListener.NONE);
        }
        int left = library.chunks().damaged().size();
        String done = "Repaired " + (before - left) + " of " + before + " damaged chunks from " + asked
                + (asked == 1 ? " peer or mirror" : " peers and mirrors");
        if (!unreachable.isEmpty()) {
            done += "; not reachable: " + String.join(", ", unreachable);
        }
        if (left > 0) {
            throw new IllegalStateException(done + "; " + left + " still damaged (no peer had a good copy)");
        }
        return done;
    }

    /** Peers that speak our protocol, and not this server itself. */
    private List<PeerDirectory.Peer> knownPeers() {
        PeerDirectory directory = peers.directory();
        return directory.peers().stream()
                .filter(p -> p.announcement() == null || p.announcement().speaksOurProtocol())
                .filter(p -> p.serverId() == null || !p.serverId().equals(directory.ownId()))
                .toList();
    }

    /** Mirror trees (written by {@code mirror} or an export) at the root of a drive or one folder down. */
    private List<Path> mirrors() {
        List<Path> out = new ArrayList<>();
        if (drives == null) {
            return out;
        }
        for (Drive drive : drives.drives()) {
            List<Path> candidates = new ArrayList<>(List.of(drive.path()));
            try (Stream<Path> below = Files.list(drive.path())) {
                below.filter(Files::isDirectory).limit(MIRROR_FOLDERS_LOOKED_AT).forEach(candidates::add);
            } catch (IOException | java.io.UncheckedIOException e) {
                // An unreadable drive has no mirror to offer.
            }
            for (Path c : candidates) {
                if (Files.isRegularFile(c.resolve(SyncTree.CATALOG))) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
