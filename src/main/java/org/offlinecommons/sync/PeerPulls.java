package org.offlinecommons.sync;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.offlinecommons.job.Job;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.job.JobText;
import org.offlinecommons.pack.DiskReserve;
import org.offlinecommons.store.Library;

/**
 * Pulling from a peer as a job: the one use case behind the Peers page, {@code POST /api/v1/sync}
 * and a peer's pull request. Each pull keeps its {@link SyncProgress} as its job's detail, so
 * whichever page started it, the jobs API follows it.
 */
public final class PeerPulls {

    /** The kind of a pull this server's admin started. */
    public static final String KIND = "sync";
    /** The kind of a pull a peer asked for (see {@link PullRequests}). */
    public static final String REQUESTED = "sync-request";

    /**
     * A pull to start.
     *
     * @param token       the peer's sync token, or null; it lives only in the job's client, never in a log
     * @param packs       the packs to pull; empty for every one the peer has
     * @param title       the job's title, as the page that starts it words it (a message key, said in
     *                    each visitor's language)
     * @param message     the job's first line, while it connects
     * @param askBackPort after a pull that changed something here, ask the peer to pull from this server
     *                    on this port (a sync both ways); 0 not to
     * @param connections parallel downloads, kept within 1 and {@link PackPuller#MAX_CONNECTIONS}
     */
    public record Pull(URI peer, String token, List<String> packs, boolean dryRun, JobText title, JobText message,
                       int askBackPort, int connections) {

        public Pull {
            packs = List.copyOf(packs);
            connections = Math.max(1, Math.min(PackPuller.MAX_CONNECTIONS, connections));
        }

        /** With {@link PackPuller#DEFAULT_CONNECTIONS}. */
        public Pull(URI peer, String token, List<String> packs, boolean dryRun, JobText title, JobText message,
                    int askBackPort) {
            this(peer, token, packs, dryRun, title, message, askBackPort, PackPuller.DEFAULT_CONNECTIONS);
        }

        /** With words in English only (the command line). */
        public Pull(URI peer, String token, List<String> packs, boolean dryRun, String title, String message,
                    int askBackPort) {
            this(peer, token, packs, dryRun, JobText.english(title), JobText.english(message), askBackPort);
        }

        /** With words in English only (the command line). */
        public Pull(URI peer, String token, List<String> packs, boolean dryRun, String title, String message,
                    int askBackPort, int connections) {
            this(peer, token, packs, dryRun, JobText.english(title), JobText.english(message), askBackPort,
                    connections);
        }
    }

    /**
     * A peer's answer to our pull request.
     *
     * @param ours  the URL it was asked to pull from
     * @param jobId its job, to follow at {@link PeerClient#pullRequestStatus}
     */
    public record AskedBack(URI ours, String jobId) {
    }

    private final Library library;
    private final JobRunner jobs;
    private final DiskReserve reserve;
    private final PullGrants grants;
    private final Consumer<URI> finished;

    /**
     * @param grants   the tokens handed to a peer asked to pull from us
     * @param finished told the peer's URL after every pull, whether it worked or not (to forget what
     *                 was known of its catalog)
     */
    public PeerPulls(Library library, JobRunner jobs, DiskReserve reserve, PullGrants grants,
                     Consumer<URI> finished) {
        this.library = library;
        this.jobs = jobs;
        this.reserve = reserve;
        this.grants = grants;
        this.finished = finished;
    }

    /**
     * Starts a pull the admin asked for.
     *
     * @throws SyncException BAD_REQUEST for a malformed token; nothing was started then
     */
    public Job start(Pull pull) {
        PeerClient peer = new PeerClient(pull.peer(), pull.token());
        return jobs.submit(KIND, pull.title(), j -> run(j, peer, pull));
    }

    /**
     * Starts the pull a peer asked for from {@code from}, one at a time.
     *
     * @param token what the peer handed us to read its tree with (a {@link PullGrants} token), or null
     * @throws SyncException REFUSED when this server does not take requests or the URL names
     *                       another machine, CONFLICT while another requested pull runs, BAD_REQUEST
     *                       for a malformed token
     */
    public synchronized Job startRequested(String url, InetAddress from, List<String> packs, String token) {
        URI base = PullRequests.check(library, url, from);
        PeerClient client = new PeerClient(base, token);
        boolean busy = jobs.recent().stream().anyMatch(s -> s.kind().equals(REQUESTED) && !s.state().finished());
        if (busy) {
            throw new SyncException(SyncException.Reason.CONFLICT,
                    "This server is already pulling for a peer; ask again later");
        }
        Pull pull = new Pull(base, null, packs, false, "Sync requested by " + base, "Pulling from " + base, 0);
        return jobs.submit(REQUESTED, pull.title(), j -> run(j, client, pull));
    }

    /** A pull's live state: its packs, phase and bytes; empty for an unknown id or another kind of job. */
    public Optional<SyncStatus> progress(String jobId) {
        return jobs.detail(jobId, SyncProgress.class).map(SyncProgress::status);
    }

    /** A pull job, of either kind. */
    public Optional<JobStatus> job(String jobId) {
        return jobs.status(jobId).filter(s -> s.kind().equals(KIND) || s.kind().equals(REQUESTED));
    }

    /** A pull a peer asked for: the only jobs a peer may watch. */
    public Optional<JobStatus> requested(String jobId) {
        return jobs.status(jobId).filter(s -> s.kind().equals(REQUESTED));
    }

    private String run(Job job, PeerClient peer, Pull pull) {
        SyncProgress progress = new SyncProgress(peer.base().toString(), pull.dryRun(), job);
        job.detail(progress);
        job.message(pull.message());
        try {
            SyncStatus status = new PackPuller(library, peer, pull.connections(), reserve)
                    .sync(pull.packs(), pull.dryRun(), progress);
            if (!status.ok()) {
                throw new SyncException(SyncException.Reason.UNREACHABLE, status.summary() + " "
                        + String.join("; ", status.problems()));
            }
            if (pull.askBackPort() == 0 || pull.dryRun()) {
                return status.summary();
            }
            return status.summary() + " " + askToPullFromUs(peer, pull.askBackPort());
        } finally {
            finished.accept(peer.base());
        }
    }

    /**
     * Asks the peer to pull everything from this server, served on {@code ourPort}, handing it a
     * fresh {@link PullGrants} token to read our tree with (needed when it requires a sync token).
     *
     * @throws SyncException when the peer declines, or cannot be asked
     */
    public AskedBack askBack(PeerClient peer, int ourPort) {
        URI ours = PeerUrl.ourBaseFacing(peer.base(), ourPort);
        return new AskedBack(ours, peer.requestPull(ours, List.of(), grants.issue()).jobId());
    }

    private String askToPullFromUs(PeerClient peer, int ourPort) {
        try {
            AskedBack asked = askBack(peer, ourPort);
            return "The peer accepted to pull from this server (" + asked.ours() + ", its job " + asked.jobId() + ").";
        } catch (SyncException e) {
            return "The peer will not pull from this server: " + e.getMessage();
        }
    }
}
