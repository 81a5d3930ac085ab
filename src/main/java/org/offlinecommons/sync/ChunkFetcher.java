package org.offlinecommons.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.offlinecommons.store.ChunkRef;
import org.offlinecommons.store.DaemonThreads;
import org.offlinecommons.store.Hashes;

/**
 * Fetches groups of chunks from a peer over a few connections and hands each group, every chunk
 * verified (length and SHA-256), to the calling thread in the order the groups were listed,
 * whatever order they arrive in. In order, so that the caller can hash each file as its chunks
 * go by instead of reading it back from the library afterwards.
 *
 * <p>The fetching threads run at most a few groups ahead of the caller, which bounds memory
 * (about {@code window} groups of ~1 MiB) and what a kill loses. A group is asked for in one bulk
 * request where the peer takes them (docs/sync-protocol.md §5.1); a chunk missing, damaged or
 * cut off in the answer, or every chunk of a peer without bulk requests, is fetched on its own,
 * with retries.
 */
final class ChunkFetcher {

    /** Retries of a chunk after a network failure; a chunk with wrong bytes is retried once. */
    private static final int NETWORK_RETRIES = 2;

    /** Where verified chunks go: in order, or, after a failure, whatever was verified but not handed over. */
    interface Sink {
        /** Group {@code index}'s chunks, each verified, in the order asked for. */
        void accept(int index, List<byte[]> chunks);

        /**
         * Verified chunks that were not handed to {@link #accept} because the fetch failed: kept
         * so that a retry does not fetch them again.
         */
        void leftovers(List<ChunkRef> refs, List<byte[]> chunks);
    }

    private final PeerClient peer;
    private final int connections;
    /** Whether the peer takes bulk chunk requests; false once it answered one with an error. */
    private final AtomicBoolean bulk;

    ChunkFetcher(PeerClient peer, int connections, AtomicBoolean bulk) {
        this.peer = peer;
        this.connections = connections;
        this.bulk = bulk;
    }

    /** Verified chunks of one group, fewer than asked for if fetching them failed part way. */
    private record Fetched(List<ChunkRef> refs, List<byte[]> data) {
    }

    /**
     * Fetches every group and hands each to {@code sink.accept} on this thread, in order. On any
     * failure (the peer's, or one thrown by the sink) the fetching stops, whatever was verified
     * but not accepted goes to {@code sink.leftovers}, and the failure is thrown.
     */
    void fetch(List<List<ChunkRef>> groups, Sink sink) {
        if (groups.isEmpty()) {
            return;
        }
        // In flight or waiting for the caller: a few MiB of memory, and what a kill may lose (SyncIT allows 5 %).
        int window = connections + 2;
        Semaphore room = new Semaphore(window);
        AtomicInteger next = new AtomicInteger();
        Map<Integer, Fetched> ready = new HashMap<>();
        RuntimeException[] failure = {null};
        Object lock = ready;
        int threads = Math.min(connections, groups.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads, DaemonThreads.named("sync-fetch"));
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                while (true) {
                    try {
                        room.acquire();
                    } catch (InterruptedException e) {
                        return; // stopped by the caller
                    }
                    int i = next.getAndIncrement();
                    synchronized (lock) {
                        if (i >= groups.size() || failure[0] != null) {
                            return;
                        }
                    }
                    List<ChunkRef> asked = groups.get(i);
                    List<byte[]> got = new ArrayList<>(asked.size());
                    try {
                        List<byte[]> answer = fetchMany(asked);
                        for (int c = 0; c < asked.size(); c++) {
                            ChunkRef ref = asked.get(c);
                            byte[] data = c < answer.size() ? answer.get(c) : null;
                            got.add(data != null && problem(ref, data) == null ? data : fetchVerified(ref));
                        }
                        synchronized (lock) {
                            ready.put(i, new Fetched(asked, got));
                            lock.notifyAll();
                        }
                    } catch (RuntimeException e) {
                        synchronized (lock) {
                            ready.put(i, new Fetched(asked.subList(0, got.size()), got));
                            if (failure[0] == null) {
                                failure[0] = e;
                            }
                            lock.notifyAll();
                        }
                        return;
                    }
                }
            });
        }
        int accepted = 0;
        RuntimeException thrown = null;
        try {
            for (; accepted < groups.size(); accepted++) {
                Fetched f;
                synchronized (lock) {
                    while ((f = ready.get(accepted)) == null && failure[0] == null) {
                        lock.wait();
                    }
                    if (failure[0] != null) {
                        break;
                    }
                    ready.remove(accepted);
                }
                sink.accept(accepted, f.data());
                room.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thrown = new SyncException(SyncException.Reason.UNREACHABLE, "the sync was interrupted", e);
        } catch (RuntimeException e) {
            thrown = e;
        } finally {
            synchronized (lock) {
                if (failure[0] == null) {
                    failure[0] = thrown != null ? thrown : new IllegalStateException("stopped");
                } else if (thrown == null) {
                    thrown = failure[0];
                }
            }
            if (accepted < groups.size() || thrown != null) {
                // Threads still in a request are cut off: what they were receiving is lost, as in a kill.
                pool.shutdownNow();
            } else {
                pool.shutdown();
            }
            awaitQuietly(pool);
        }
        if (thrown == null) {
            return;
        }
        List<ChunkRef> refs = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        synchronized (lock) {
            for (Fetched f : ready.values()) {
                refs.addAll(f.refs());
                data.addAll(f.data());
            }
            ready.clear();
        }
        try {
            sink.leftovers(refs, data);
        } catch (RuntimeException alsoFailed) {
            thrown.addSuppressed(alsoFailed);
        }
        throw thrown;
    }

    private static void awaitQuietly(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
                pool.shutdownNow();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The chunks of one bulk request as the peer sent them, unverified, possibly fewer than
     * asked for (the caller fetches the rest one by one); empty once the peer turned out not
     * to take bulk requests, or when the request failed on the network.
     */
    private List<byte[]> fetchMany(List<ChunkRef> asked) {
        if (!bulk.get()) {
            return List.of();
        }
        try {
            Optional<List<byte[]>> got = peer.chunks(asked);
            if (got.isEmpty()) {
                bulk.set(false); // a static tree or an older server: chunk by chunk from now on
                return List.of();
            }
            return got.get();
        } catch (SyncException e) {
            return List.of(); // fetched one by one, with their own retries
        }
    }

    /** Why {@code data} is not the chunk {@code ref} names; null if it is. */
    static String problem(ChunkRef ref, byte[] data) {
        return data.length != ref.size()
                ? (data.length > ref.size() ? "more than" : "only " + data.length + " of") + " its " + ref.size()
                + " bytes"
                : Hashes.sha256Hex(data).equals(ref.hash()) ? null : "bytes that do not match its SHA-256";
    }

    private byte[] fetchVerified(ChunkRef ref) {
        int networkFailures = 0;
        String firstProblem = null;
        while (true) {
            byte[] data;
            try {
                data = peer.chunk(ref);
            } catch (SyncException e) {
                if (e.reason() != SyncException.Reason.UNREACHABLE || ++networkFailures > NETWORK_RETRIES
                        || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                pause(500L * networkFailures);
                continue;
            }
            String problem = problem(ref, data);
            if (problem == null) {
                return data;
            }
            if (firstProblem != null) {
                throw new SyncException(SyncException.Reason.INVALID_PEER, PeerUrl.resolve(peer.base(),
                        SyncTree.chunk(ref.hash())) + ": the peer sent a damaged chunk twice (" + firstProblem
                        + ", then " + problem + "); the pack was not published");
            }
            firstProblem = problem;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(SyncException.Reason.UNREACHABLE, "the sync was interrupted", e);
        }
    }
}
