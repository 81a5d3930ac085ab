package org.offlinecommons.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.offlinecommons.discovery.PeerDirectory;
import org.offlinecommons.discovery.PeerSurvey;
import org.offlinecommons.job.Job;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryScrub;
import org.offlinecommons.sync.LibraryRepair;
import org.offlinecommons.sync.PeerClient;
import org.offlinecommons.sync.SyncException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A library that heals itself: damaged chunks are fetched again, by hash, from every known peer
 * (found on the network or added by address), as a job in the server's one job runner. The
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
    private final Duration delay;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "library-healing");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private Job current;

    /**
     * Listens for damage recorded in {@code library} and after each pass of {@code scrub}.
     *
     * @param delay how long after new damage the self-healing repair starts (reads that meet the
     *              same damage meanwhile add nothing)
     */
    public LibraryHealing(Library library, JobRunner jobs, PeerSurvey peers, LibraryScrub scrub, Duration delay) {
        this.library = library;
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
                        if (!library.chunks().damaged().isEmpty() && !knownPeers().isEmpty()) {
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
        if (known.isEmpty()) {
            throw new IllegalStateException(before + " damaged chunks, and no known peer to fetch them from: add a"
                    + " peer on the peers page, or run 'offline-commons repair --from PEER_URL|DIR'");
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
        int left = library.chunks().damaged().size();
        String done = "Repaired " + (before - left) + " of " + before + " damaged chunks from " + asked
                + (asked == 1 ? " peer" : " peers");
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

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
