package org.offlinecommons.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.offlinecommons.pack.ItemStaging;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.pack.PackManifest;
import org.offlinecommons.pack.PackPublisher;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.ChunkRef;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.StoreException;

/**
 * Pulls packs from a peer into the library: only chunks not already stored cross the wire,
 * each is verified against its hash and stored as it arrives (so an interrupted sync resumes
 * where it stopped), and a pack becomes visible in one transaction only once every file checks
 * against its SHA-256 and the manifest against the digest the peer's catalog announced.
 */
public final class PackPuller {

    /** A few connections fill a LAN link; more would only compete for the disk. */
    public static final int DEFAULT_CONNECTIONS = 4;
    public static final int MAX_CONNECTIONS = 16;
    /** Retries of a chunk after a network failure; a chunk with wrong bytes is retried once. */
    private static final int NETWORK_RETRIES = 2;
    /**
     * Verified chunks are stored at the end of each answer, and at least every MiB: a kill loses
     * little more than what is in flight (the resume tests allow 5 %), while small chunks still
     * share a transaction (one per small chunk cost more than the transfer).
     */
    private static final long STORE_BATCH_BYTES = 1L << 20;
    private static final int STORE_BATCH_CHUNKS = 512;
    /** Bytes asked for per bulk request: a few requests in flight keep a LAN busy, and memory small. */
    private static final long BULK_BYTES = 1L << 20;

    private final Library library;
    private final PeerClient peer;
    private final int connections;
    /** Whether the peer takes bulk chunk requests; false once it answered one with an error. */
    private final java.util.concurrent.atomic.AtomicBoolean bulk = new java.util.concurrent.atomic.AtomicBoolean(true);

    public PackPuller(Library library, PeerClient peer) {
        this(library, peer, DEFAULT_CONNECTIONS);
    }

    public PackPuller(Library library, PeerClient peer, int connections) {
        this.library = library;
        this.peer = peer;
        this.connections = Math.max(1, Math.min(MAX_CONNECTIONS, connections));
    }

    /**
     * Pulls the chosen packs (all the peer has, when {@code packIds} is empty), or with
     * {@code dryRun} only works out what a pull would do. Returns how it went, pack by pack.
     *
     * @throws SyncException when the peer cannot be used at all: unreachable, or its catalog is
     *                       malformed, or it lacks a pack asked for. Nothing changed here then.
     */
    public SyncStatus sync(List<String> packIds, boolean dryRun, SyncProgress progress) {
        try {
            return run(packIds, dryRun, progress);
        } catch (SyncException e) {
            progress.failed(e.getMessage());
            throw e;
        }
    }

    private SyncStatus run(List<String> packIds, boolean dryRun, SyncProgress progress) {
        PeerCatalog catalog = peer.catalog();
        progress.connected(catalog.server().name(), peer::bytesReceived);
        List<PeerCatalog.Entry> chosen = choose(catalog, packIds);

        progress.phase(SyncStatus.Phase.PLANNING);
        List<Plan> plans = new ArrayList<>();
        for (PeerCatalog.Entry entry : chosen) {
            plans.add(plan(entry));
        }
        progress.planned(plans.stream().map(Plan::status).toList());
        if (dryRun) {
            progress.phase(SyncStatus.Phase.DONE);
            return progress.status();
        }

        progress.phase(SyncStatus.Phase.PULLING);
        for (int i = 0; i < plans.size(); i++) {
            SyncStatus.Action action = plans.get(i).action;
            if (!action.pulls()) {
                SyncStatus.State state = action == SyncStatus.Action.UP_TO_DATE ? SyncStatus.State.UNCHANGED
                        : action == SyncStatus.Action.REFUSED ? SyncStatus.State.FAILED : SyncStatus.State.SKIPPED;
                progress.pack(i, p -> p.with(state, p.message()));
            }
        }
        for (int i = 0; i < plans.size(); i++) {
            Plan plan = plans.get(i);
            if (!plan.action.pulls()) {
                continue;
            }
            progress.pack(i, p -> p.with(SyncStatus.State.PULLING, "pulling"));
            try {
                SyncStatus.State done = pull(plan, i, progress);
                progress.pack(i, p -> p.with(done, done == SyncStatus.State.UNCHANGED
                        ? "installed meanwhile by another sync or import" : "version " + plan.entry.version()));
            } catch (SyncException | PackException | StoreException e) {
                progress.pack(i, p -> p.with(SyncStatus.State.FAILED, e.getMessage()));
                boolean peerGone = e instanceof SyncException s && s.reason() == SyncException.Reason.UNREACHABLE;
                if (peerGone || e instanceof StoreException) {
                    // Every further pack would fail the same way: stop, and say why.
                    String why = "not tried: " + (peerGone ? "the peer stopped answering" : "this library failed");
                    for (int j = i + 1; j < plans.size(); j++) {
                        if (plans.get(j).action.pulls()) {
                            progress.pack(j, p -> p.with(SyncStatus.State.FAILED, why));
                        }
                    }
                    progress.failed(e.getMessage());
                    return progress.status();
                }
            }
        }
        progress.phase(SyncStatus.Phase.DONE);
        return progress.status();
    }

    private static List<PeerCatalog.Entry> choose(PeerCatalog catalog, List<String> packIds) {
        if (packIds == null || packIds.isEmpty()) {
            return catalog.packs();
        }
        List<PeerCatalog.Entry> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(packIds)) {
            out.add(catalog.pack(id).orElseThrow(() -> new SyncException(SyncException.Reason.BAD_REQUEST,
                    "The peer " + catalog.server().name() + " has no pack '" + id + "'" + (catalog.packs().isEmpty()
                            ? "; it has no packs at all" : "; it has: " + String.join(", ",
                            catalog.packs().stream().map(PeerCatalog.Entry::id).toList())))));
        }
        return out;
    }

    /** What to do about one pack the peer offers, with its manifest when it is to be pulled. */
    private static final class Plan {
        final PeerCatalog.Entry entry;
        final PackRecord here;
        SyncStatus.Action action;
        String message = "";
        PeerManifest manifest;
        long toFetch;

        Plan(PeerCatalog.Entry entry, PackRecord here) {
            this.entry = entry;
            this.here = here;
        }

        SyncStatus.PackStatus status() {
            return new SyncStatus.PackStatus(entry.id(), entry.title(), here == null ? null : here.version(),
                    entry.version(), entry.size(), action, SyncStatus.State.PENDING, toFetch, 0, message);
        }
    }

    private Plan plan(PeerCatalog.Entry entry) {
        Plan plan = new Plan(entry, library.catalog().pack(entry.id()).orElse(null));
        PackRecord here = plan.here;
        if (here == null) {
            plan.action = SyncStatus.Action.ADD;
        } else if (here.version() < entry.version()) {
            plan.action = SyncStatus.Action.UPDATE;
        } else if (here.version() > entry.version()) {
            plan.action = SyncStatus.Action.NEWER_HERE;
            plan.message = "version " + here.version() + " here is newer than the peer's " + entry.version();
            return plan;
        } else if (here.digest().equals(entry.digest())) {
            plan.action = SyncStatus.Action.UP_TO_DATE;
            plan.message = "up to date";
            return plan;
        } else {
            plan.action = SyncStatus.Action.CONFLICT;
            plan.message = "version " + entry.version() + " here and on the peer differ in content; a changed pack"
                    + " needs a higher version number, so it was not pulled";
            return plan;
        }
        try {
            plan.manifest = peer.manifest(entry);
            plan.toFetch = needs(plan.manifest).bytes();
        } catch (SyncException e) {
            if (e.reason() != SyncException.Reason.INVALID_PEER) {
                throw e;
            }
            plan.action = SyncStatus.Action.REFUSED;
            plan.message = e.getMessage();
        }
        return plan;
    }

    /** The files of a manifest whose content is not stored here yet, and the chunks they lack. */
    private record Needs(Map<String, FileRecipe> files, List<ChunkRef> chunks) {
        long bytes() {
            return chunks.stream().mapToLong(ChunkRef::size).sum();
        }
    }

    private Needs needs(PeerManifest manifest) {
        Map<String, FileRecipe> files = new LinkedHashMap<>();
        Map<String, ChunkRef> chunks = new LinkedHashMap<>();
        for (FileRecipe theirs : manifest.recipes().values()) {
            Optional<FileRecipe> ours = library.chunks().recipe(theirs.fileHash());
            if (ours.isPresent() && library.chunks().missing(hashes(ours.get())).isEmpty()) {
                continue;
            }
            files.put(theirs.fileHash(), theirs);
            for (ChunkRef c : theirs.chunks()) {
                chunks.putIfAbsent(c.hash(), c);
            }
        }
        Set<String> missing = library.chunks().missing(chunks.keySet());
        return new Needs(files, missing.stream().map(chunks::get).toList());
    }

    private SyncStatus.State pull(Plan plan, int index, SyncProgress progress) {
        PeerManifest manifest = plan.manifest;
        String source = peer.base() + ": pack '" + plan.entry.id() + "' version " + plan.entry.version();
        Needs needs = needs(manifest);
        long toFetch = needs.bytes();
        progress.replanned(plan.toFetch, toFetch);
        progress.pack(index, p -> p.withFetch(toFetch, 0));
        checkFreeSpace(source, toFetch);

        download(needs.chunks(), index, progress);
        Map<String, String> pathByHash = new java.util.HashMap<>();
        for (PackManifest.FileEntry f : manifest.pack().files()) {
            pathByHash.putIfAbsent(f.sha256(), f.path());
        }
        ItemStaging items = new ItemStaging(library, manifest.pack());
        try {
            List<FileRecipe> checked = new ArrayList<>();
            for (FileRecipe recipe : needs.files().values()) {
                if (stage(recipe, pathByHash.getOrDefault(recipe.fileHash(), recipe.fileHash()), source, items)) {
                    checked.add(recipe);
                }
                if (checked.size() >= STORE_BATCH_CHUNKS) {
                    library.chunks().putRecipes(checked);
                    checked.clear();
                }
            }
            library.chunks().putRecipes(checked);
        } catch (RuntimeException e) {
            items.discard();
            throw e;
        }
        try {
            new PackPublisher(library).publish(items, source, plan.here == null ? null : plan.here.digest());
        } catch (PackException e) {
            Optional<PackRecord> now = library.catalog().pack(plan.entry.id());
            if (now.isPresent() && now.get().digest().equals(manifest.digest())) {
                return SyncStatus.State.UNCHANGED;
            }
            throw e;
        }
        progress.reused(Math.max(0, manifest.pack().totalSize() - toFetch));
        return plan.here == null ? SyncStatus.State.ADDED : SyncStatus.State.UPDATED;
    }

    /**
     * Fetches chunks over a few connections, many per request where the peer takes bulk
     * requests (else one by one); each is verified and stored before the next are taken.
     */
    private void download(List<ChunkRef> refs, int index, SyncProgress progress) {
        if (refs.isEmpty()) {
            return;
        }
        List<List<ChunkRef>> requests = requests(refs);
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        int threads = Math.min(connections, requests.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sync-fetch");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    List<ChunkRef> batchRefs = new ArrayList<>();
                    List<byte[]> batchData = new ArrayList<>();
                    long batchBytes = 0;
                    try {
                        while (failure.get() == null) {
                            int i = next.getAndIncrement();
                            if (i >= requests.size()) {
                                break;
                            }
                            List<ChunkRef> asked = requests.get(i);
                            List<byte[]> got = fetchMany(asked);
                            for (int c = 0; c < asked.size() && failure.get() == null; c++) {
                                ChunkRef ref = asked.get(c);
                                byte[] data = c < got.size() && got.get(c) != null && problem(ref, got.get(c)) == null
                                        ? got.get(c) : fetchVerified(ref);
                                batchRefs.add(ref);
                                batchData.add(data);
                                batchBytes += ref.size();
                                if (batchBytes >= STORE_BATCH_BYTES || batchRefs.size() >= STORE_BATCH_CHUNKS
                                        || c == asked.size() - 1) {
                                    library.chunks().putChunks(batchRefs, batchData);
                                    progress.fetched(index, batchBytes);
                                    batchRefs.clear();
                                    batchData.clear();
                                    batchBytes = 0;
                                }
                            }
                        }
                        library.chunks().putChunks(batchRefs, batchData);
                        progress.fetched(index, batchBytes);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                        try {
                            // What was verified before the failure is kept: a retry resumes after it.
                            library.chunks().putChunks(batchRefs, batchData);
                        } catch (RuntimeException alsoFailed) {
                            e.addSuppressed(alsoFailed);
                        }
                    }
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(SyncException.Reason.UNREACHABLE, "the sync was interrupted", e);
        } catch (ExecutionException e) {
            failure.compareAndSet(null, new IllegalStateException(e.getCause()));
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /**
     * Chunks grouped for bulk requests: up to 256, and at most 1 MiB (or one chunk), each. More
     * per request would gain little (the round trips that matter are those of small files) and
     * a kill would lose more: what is in flight is not stored.
     */
    private static List<List<ChunkRef>> requests(List<ChunkRef> refs) {
        List<List<ChunkRef>> out = new ArrayList<>();
        List<ChunkRef> current = new ArrayList<>();
        long bytes = 0;
        for (ChunkRef ref : refs) {
            if (!current.isEmpty() && (current.size() >= SyncTree.MAX_BULK_CHUNKS || bytes + ref.size() > BULK_BYTES)) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(ref);
            bytes += ref.size();
        }
        out.add(current);
        return out;
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
    private static String problem(ChunkRef ref, byte[] data) {
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

    /**
     * Checks a file's chunks, now all stored, add up to its SHA-256; true when its recipe is
     * not recorded yet. Recipes are only ever written after this check: a recipe names the
     * bytes of a file hash for every pack that holds that hash, so a wrong one must never reach
     * the store.
     */
    private boolean stage(FileRecipe theirs, String path, String source, ItemStaging items) {
        MessageDigest digest = Hashes.sha256();
        long size = 0;
        // A document's bytes are kept to read its title and text once verified, not read back later.
        java.io.ByteArrayOutputStream document = items.wants(theirs.fileHash())
                ? new java.io.ByteArrayOutputStream((int) Math.min(theirs.size(), 8L << 20)) : null;
        for (ChunkRef c : theirs.chunks()) {
            byte[] data = library.chunks().readChunk(c.hash()).orElseThrow(() -> new PackException(
                    PackException.Reason.CONFLICT, source + ": '" + path + "': a chunk was removed meanwhile (a pack"
                    + " was deleted or replaced while this sync ran); nothing was changed, sync again"));
            if (data.length != c.size()) {
                throw new SyncException(SyncException.Reason.INVALID_PEER, source + ": '" + path + "': the manifest"
                        + " says chunk " + c.hash() + " has " + c.size() + " bytes, but it has " + data.length);
            }
            digest.update(data);
            size += data.length;
            if (document != null) {
                document.writeBytes(data);
            }
        }
        if (size != theirs.size() || !Hashes.hex(digest.digest()).equals(theirs.fileHash())) {
            throw new SyncException(SyncException.Reason.INVALID_PEER, source + ": '" + path + "': its chunks do not"
                    + " make up its content (SHA-256 mismatch); the peer's manifest is wrong, nothing was published");
        }
        if (document != null) {
            items.offer(theirs.fileHash(), document.toByteArray());
        }
        Optional<FileRecipe> ours = library.chunks().recipe(theirs.fileHash());
        if (ours.isEmpty()) {
            return true;
        } else if (!ours.get().chunks().equals(theirs.chunks())) {
            throw new PackException(PackException.Reason.CONFLICT, source + ": '" + path + "': this library holds"
                    + " a damaged copy of this content; run 'offline-commons verify'");
        }
        return false;
    }

    private void checkFreeSpace(String source, long needed) {
        long withReserve = needed + PackImporter.DEFAULT_RESERVE_BYTES;
        try {
            long usable = Files.getFileStore(library.databaseFile().toAbsolutePath().getParent()).getUsableSpace();
            if (usable < withReserve) {
                throw new SyncException(SyncException.Reason.NO_SPACE, source + ": needs " + Sizes.human(withReserve)
                        + " of free disk space (what is missing plus a reserve of "
                        + Sizes.human(PackImporter.DEFAULT_RESERVE_BYTES) + "), but only " + Sizes.human(usable)
                        + " is free; free some space or delete packs");
            }
        } catch (IOException e) {
            // Unknown free space: go ahead; a full disk still fails cleanly, just later.
        }
    }

    private static List<String> hashes(FileRecipe r) {
        return r.chunks().stream().map(ChunkRef::hash).toList();
    }
}
