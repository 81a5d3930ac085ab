package org.offlinecommons.discovery;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.offlinecommons.store.DaemonThreads;
import org.offlinecommons.sync.PeerCatalog;
import org.offlinecommons.sync.PeerClient;
import org.offlinecommons.sync.SyncException;

/**
 * Peers' catalogs, fetched with the sync client and kept for a while: a page that lists ten
 * peers must not wait for ten slow fetches each time. A peer's announced catalog digest says
 * when its catalog changed, so an unchanged one is not fetched again for minutes.
 */
public final class PeerCatalogs implements AutoCloseable {

    /** How long a listing waits for a peer: a LAN peer that works answers well within this. */
    static final Duration TIMEOUT = Duration.ofSeconds(4);
    /** A peer added by address (it announces nothing) is asked again after this. */
    static final Duration RECHECK = Duration.ofSeconds(20);
    /** A discovered peer that announces the same catalog digest as when it last answered: after this. */
    static final Duration RECHECK_UNCHANGED = Duration.ofMinutes(2);
    /** A peer that did not answer: soon, it may just have started. */
    static final Duration RECHECK_FAILED = Duration.ofSeconds(5);
    /** A peer whose announced digest changed: at once, but not more often than this. */
    static final Duration MIN_GAP = Duration.ofSeconds(2);
    private static final int MAX_CACHED = 512;

    /**
     * The last attempt to read a peer's catalog.
     *
     * @param catalog     the catalog, or null when the peer could not be read
     * @param problem     why not, or null
     * @param refused     whether it answered but would not share with us (no sync token, or the wrong one)
     * @param lastSuccess when it last answered, or null
     */
    public record Lookup(PeerCatalog catalog, String problem, boolean refused, Instant checkedAt,
                         Instant lastSuccess) {
        public boolean reachable() {
            return catalog != null;
        }
    }

    private record Cached(Lookup lookup, String announcedDigest) {
    }

    private final Clock clock;
    private final Function<URI, PeerCatalog> fetch;
    private final ExecutorService pool;
    private final Map<URI, Cached> cache = new HashMap<>();

    /** {@code tokens}: what to send to peers that share only with servers knowing their sync token. */
    public PeerCatalogs(Clock clock, PeerTokens tokens) {
        this(clock, url -> new PeerClient(url, tokens.token(url)).catalog());
    }

    PeerCatalogs(Clock clock, Function<URI, PeerCatalog> fetch) {
        this.clock = clock;
        this.fetch = fetch;
        this.pool = Executors.newFixedThreadPool(8, DaemonThreads.named("peer-catalog"));
    }

    /** The catalogs of these peers, by peer key: from the cache where it is recent enough, else fetched in parallel. */
    public Map<String, Lookup> lookup(List<PeerDirectory.Peer> peers) {
        Instant now = clock.instant();
        Map<String, Lookup> out = new LinkedHashMap<>();
        Map<PeerDirectory.Peer, Future<PeerCatalog>> pending = new LinkedHashMap<>();
        for (PeerDirectory.Peer p : peers) {
            Cached c;
            synchronized (cache) {
                c = cache.get(p.url());
            }
            if (c != null && fresh(c, p, now)) {
                out.put(p.key(), c.lookup());
            } else {
                pending.put(p, pool.submit(() -> fetch.apply(p.url())));
            }
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (Map.Entry<PeerDirectory.Peer, Future<PeerCatalog>> e : pending.entrySet()) {
            PeerDirectory.Peer p = e.getKey();
            PeerCatalog catalog = null;
            String problem;
            boolean refused = false;
            try {
                catalog = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                problem = null;
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                problem = p.url() + " did not answer within " + TIMEOUT.toSeconds() + " s";
            } catch (ExecutionException ex) {
                Throwable cause = ex.getCause();
                problem = cause instanceof SyncException ? cause.getMessage() : p.url() + ": " + cause;
                refused = cause instanceof SyncException se && se.reason() == SyncException.Reason.REFUSED;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                problem = p.url() + ": interrupted";
            }
            Lookup previous;
            synchronized (cache) {
                Cached c = cache.get(p.url());
                previous = c == null ? null : c.lookup();
            }
            Lookup l = new Lookup(catalog, problem, refused, now, catalog != null ? now
                    : previous == null ? null : previous.lastSuccess());
            synchronized (cache) {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
                cache.put(p.url(), new Cached(l, digest(p)));
            }
            out.put(p.key(), l);
        }
        return out;
    }

    /** Forget what is known of this peer's catalog: it changed (we just pulled from it, or it from us). */
    public void forget(URI url) {
        synchronized (cache) {
            cache.remove(url);
        }
    }

    private static boolean fresh(Cached c, PeerDirectory.Peer p, Instant now) {
        Instant checked = c.lookup().checkedAt();
        String digest = digest(p);
        if (digest != null && !digest.equals(c.announcedDigest())) {
            return now.isBefore(checked.plus(MIN_GAP));
        }
        if (!c.lookup().reachable()) {
            return now.isBefore(checked.plus(RECHECK_FAILED));
        }
        return now.isBefore(checked.plus(digest != null ? RECHECK_UNCHANGED : RECHECK));
    }

    private static String digest(PeerDirectory.Peer p) {
        return p.announcement() == null ? null : p.announcement().catalogDigest();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
