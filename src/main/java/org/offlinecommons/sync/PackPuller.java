package org.offlinecommons.sync;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.offlinecommons.pack.DiskReserve;
import org.offlinecommons.pack.FileList;
import org.offlinecommons.pack.ItemStaging;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.pack.PackManifest;
import org.offlinecommons.pack.PackPublisher;
import org.offlinecommons.store.ChunkCompressor;
import org.offlinecommons.store.ChunkRef;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.FileRecipe;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.StoreException;
import org.offlinecommons.store.WriteBehind;

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
    /**
     * Verified chunks are stored at least every 4 MiB: a kill loses little more than what is in
     * flight (the resume tests allow 5 %). Small chunks share a transaction by thousands, with
     * the recipes of the files they complete: every transaction rewrites most leaves of the
     * chunk and recipe indexes, whose keys are random, so their number is what a pull of small
     * files writes to the disk (docs/performance.md, "Fewer, larger transactions").
     */
    private static final long STORE_BATCH_BYTES = 4L << 20;
    private static final int STORE_BATCH_CHUNKS = 8192;
    /** Bytes asked for per bulk request: a few requests in flight keep a LAN busy, and memory small. */
    private static final long BULK_BYTES = 1L << 20;
    /** Writes waiting for the writer thread: bounded memory, and little lost to a kill. */
    private static final int WRITES_AHEAD = 2;

    private final Library library;
    private final PeerClient peer;
    private final int connections;
    private final DiskReserve reserve;
    /** Whether the peer takes bulk chunk requests; false once it answered one with an error. */
    private final AtomicBoolean bulk = new AtomicBoolean(true);

    public PackPuller(Library library, PeerClient peer) {
        this(library, peer, DEFAULT_CONNECTIONS);
    }

    public PackPuller(Library library, PeerClient peer, int connections) {
        this(library, peer, connections, DiskReserve.DEFAULT);
    }

    /** {@code reserve}: the free space the admin configured, the same every import keeps. */
    public PackPuller(Library library, PeerClient peer, int connections, DiskReserve reserve) {
        this.library = library;
        this.peer = peer;
        this.connections = Math.max(1, Math.min(MAX_CONNECTIONS, connections));
        this.reserve = reserve;
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
            // Format 2: what is missing is known piece by piece; until then, at most the whole pack.
            plan.toFetch = plan.manifest.streamed() ? plan.manifest.pack().totalSize() : needs(plan.manifest).bytes();
        } catch (SyncException e) {
            if (e.reason() != SyncException.Reason.INVALID_PEER) {
                throw e;
            }
            plan.action = SyncStatus.Action.REFUSED;
            plan.message = e.getMessage();
        }
        return plan;
    }

    /**
     * The files of a manifest whose content is not stored here yet, in pack.json's order (one per
     * distinct content), the chunks they lack, and the recipes already recorded for some of them.
     */
    private record Needs(List<FileRecipe> files, List<ChunkRef> chunks, Map<String, FileRecipe> recorded) {
        long bytes() {
            return chunks.stream().mapToLong(ChunkRef::size).sum();
        }
    }

    private Needs needs(PeerManifest manifest) {
        return needs(manifest.pack().files().stream().map(f -> manifest.recipes().get(f.sha256())).toList());
    }

    /** What {@code inOrder} (the recipes of files in order, repeats allowed) lacks here. */
    private Needs needs(List<FileRecipe> inOrder) {
        List<FileRecipe> files = new ArrayList<>();
        Map<String, FileRecipe> recorded = new HashMap<>();
        Map<String, ChunkRef> chunks = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        Map<String, FileRecipe> ourRecipes = library.chunks().recipes(inOrder.stream().map(FileRecipe::fileHash)
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
        Set<String> ourMissing = library.chunks().missing(ourRecipes.values().stream()
                .flatMap(r -> r.chunks().stream()).map(ChunkRef::hash).toList());
        for (FileRecipe theirs : inOrder) {
            if (!seen.add(theirs.fileHash())) {
                continue;
            }
            FileRecipe ours = ourRecipes.get(theirs.fileHash());
            if (ours != null && ours.chunks().stream().noneMatch(c -> ourMissing.contains(c.hash()))) {
                continue;
            }
            if (ours != null) {
                recorded.put(ours.fileHash(), ours);
            }
            files.add(theirs);
            for (ChunkRef c : theirs.chunks()) {
                chunks.putIfAbsent(c.hash(), c);
            }
        }
        Set<String> missing = library.chunks().missing(chunks.keySet());
        return new Needs(files, missing.stream().map(chunks::get).toList(), recorded);
    }

    private SyncStatus.State pull(Plan plan, int index, SyncProgress progress) {
        PeerManifest manifest = plan.manifest;
        if (manifest.streamed()) {
            return pullStreamed(plan, index, progress);
        }
        String source = peer.base() + ": pack '" + plan.entry.id() + "' version " + plan.entry.version();
        Needs needs = needs(manifest);
        long toFetch = needs.bytes();
        progress.replanned(plan.toFetch, toFetch);
        progress.pack(index, p -> p.withFetch(toFetch, 0));
        checkFreeSpace(source, toFetch, manifest.pack().fileCount());

        Map<String, String> pathByHash = new HashMap<>();
        for (PackManifest.FileEntry f : manifest.pack().files()) {
            pathByHash.putIfAbsent(f.sha256(), f.path());
        }
        // Storing chunks and recipes and indexing text run on the writer's thread, beside the
        // threads that fetch and hash, and this one, which checks files and reads documents; its
        // WAL checkpoints (and their fsyncs) run beside it too, as in an import.
        try (WriteBehind writer = library.chunks().bulkWriter("sync-writer", WRITES_AHEAD)) {
            ItemStaging items = new ItemStaging(library, manifest.pack(), writer);
            boolean published = false;
            try {
                Assembly assembly = new Assembly(needs, pathByHash, source, documents(items), writer,
                        library.chunks().compressor(), index, progress);
                new ChunkFetcher(peer, connections, bulk).fetch(assembly.groups(), assembly);
                assembly.flush();
                writer.finish(); // the chunks the files below read back are stored
                List<FileRecipe> checked = new ArrayList<>();
                for (FileRecipe recipe : assembly.readBack()) {
                    if (stage(recipe, pathByHash.getOrDefault(recipe.fileHash(), recipe.fileHash()), source,
                            documents(items))) {
                        checked.add(recipe);
                    }
                    if (checked.size() >= STORE_BATCH_CHUNKS) {
                        library.chunks().putRecipes(checked);
                        checked.clear();
                    }
                }
                library.chunks().putRecipes(checked);
                try {
                    new PackPublisher(library).publish(items, source, plan.here == null ? null : plan.here.digest());
                    published = true;
                } catch (PackException e) {
                    published = true; // publish discarded what was staged
                    Optional<PackRecord> now = library.catalog().pack(plan.entry.id());
                    if (now.isPresent() && now.get().digest().equals(manifest.digest())) {
                        return SyncStatus.State.UNCHANGED;
                    }
                    throw e;
                }
            } finally {
                if (!published) {
                    items.discard();
                }
            }
        }
        progress.reused(Math.max(0, manifest.pack().totalSize() - toFetch));
        return plan.here == null ? SyncStatus.State.ADDED : SyncStatus.State.UPDATED;
    }

    /**
     * Documents' bytes kept per group of pieces to read their titles and text; the rest are read
     * back from the library.
     */
    private static final long PIECE_DOCUMENT_BYTES = 8L << 20;

    /**
     * Pulls a format-2 pack piece by piece (docs/sync-protocol.md §4.2): each piece of its file
     * list is fetched and checked, the chunks its files lack here are fetched, checked and
     * stored, and its files and items are staged in the library; the pieces together must be the
     * file list pack.json describes (count, size, SHA-256) before the pack is published in one
     * transaction. Memory holds one piece at a time.
     */
    private SyncStatus.State pullStreamed(Plan plan, int index, SyncProgress progress) {
        PeerManifest manifest = plan.manifest;
        PackManifest pack = manifest.pack();
        String source = peer.base() + ": pack '" + plan.entry.id() + "' version " + plan.entry.version();
        checkFreeSpace(source, pack.totalSize(), pack.fileCount());
        // The whole pack was the estimate; each piece now adds what it lacks here.
        progress.replanned(plan.toFetch, 0);
        long[] toFetch = {0};
        java.security.MessageDigest listHash = Hashes.sha256();
        long count = 0;
        long size = 0;
        long fetched = 0;
        String previous = null;
        // Pieces the installed version has too are made here from the library, not fetched: an
        // update moves only the pieces whose files changed.
        LibraryTree ours = new LibraryTree(library);
        Map<String, org.offlinecommons.store.Catalog.SyncPiece> ourPieces = new HashMap<>();
        if (plan.here != null && library.catalog().format(plan.here.id()) == PackManifest.FORMAT_2) {
            try {
                ours.pieces(plan.here).forEach(p -> ourPieces.put(p.hash(), p));
            } catch (StoreException e) {
                // Replaced meanwhile: every piece is fetched.
            }
        }
        try (WriteBehind writer = library.chunks().bulkWriter("sync-writer", WRITES_AHEAD)) {
            org.offlinecommons.pack.StreamedItems items = new org.offlinecommons.pack.StreamedItems(library,
                    pack.entry(), pack.language(), writer);
            ChunkCompressor compressor = library.chunks().compressor();
            boolean published = false;
            try {
                int n = 0;
                // Pieces are taken a group at a time (PIECES_GROUP_FILES files, or PIECE_DOCUMENT_BYTES
                // of documents to read for items): each group waits once for its chunks and its
                // stored files, so thousands of small pieces do not each drain the network and the
                // writer.
                List<ManifestPieces.Line> group = new ArrayList<>();
                long groupDocuments = 0;
                String firstWhere = null;
                Iterator<ManifestPieces.Piece> pieces = manifest.pieces().iterator();
                while (pieces.hasNext()) {
                    ManifestPieces.Piece piece = pieces.next();
                    String where = source + ": piece " + n++ + " (" + piece.sha256() + ")";
                    byte[] pieceBytes = null;
                    org.offlinecommons.store.Catalog.SyncPiece mine = ourPieces.get(piece.sha256());
                    if (mine != null) {
                        try {
                            byte[] local = ours.pieceBytes(plan.here, mine);
                            pieceBytes = Hashes.sha256Hex(local).equals(piece.sha256()) ? local : null;
                        } catch (StoreException e) {
                            pieceBytes = null;
                        }
                    }
                    if (pieceBytes == null) {
                        pieceBytes = peer.piece(piece);
                    }
                    List<ManifestPieces.Line> lines = ManifestPieces.parse(pieceBytes, piece.files(), previous, where);
                    for (ManifestPieces.Line l : lines) {
                        listHash.update(org.offlinecommons.pack.FileList.line(l.file()));
                        count++;
                        size += l.file().size();
                        if (org.offlinecommons.pack.StreamedItems.reads(l.file())) {
                            groupDocuments += l.file().size();
                        }
                    }
                    previous = lines.get(lines.size() - 1).file().path();
                    if (firstWhere == null) {
                        firstWhere = where;
                    }
                    group.addAll(lines);
                    // A group also ends at the documents it may keep, so that none is read back.
                    if (group.size() >= PIECES_GROUP_FILES || groupDocuments >= PIECE_DOCUMENT_BYTES
                            || !pieces.hasNext()) {
                        String groupWhere = firstWhere.equals(where) ? where
                                : firstWhere + " to piece " + (n - 1) + " (" + piece.sha256() + ")";
                        fetched += pullGroup(group, groupWhere, writer, compressor, items, index, progress, toFetch);
                        group = new ArrayList<>();
                        groupDocuments = 0;
                        firstWhere = null;
                    }
                }
                PackManifest.FileListInfo expected = pack.fileList();
                if (count != expected.count() || size != expected.size()
                        || !Hashes.hex(listHash.digest()).equals(expected.sha256())) {
                    throw new SyncException(SyncException.Reason.INVALID_PEER, source + ": its pieces are not the file"
                            + " list its pack.json describes (count, size or SHA-256 differ); nothing was published");
                }
                items.finish();
                PackRecord record = new PackRecord(pack.id(), pack.version(), pack.title(), pack.description(),
                        pack.language(), pack.license(), pack.authors(), pack.created(), pack.entry(), manifest.digest(),
                        pack.totalSize(), Math.toIntExact(pack.fileCount()), 0, System.currentTimeMillis());
                try {
                    library.publishStaged(record, new String(org.offlinecommons.pack.ManifestCodec.write(pack),
                                    java.nio.charset.StandardCharsets.UTF_8), PackManifest.FORMAT_2, items.batch(),
                            items.batch(), plan.here == null ? null : plan.here.digest());
                } catch (org.offlinecommons.store.Catalog.ConcurrentChangeException
                         | org.offlinecommons.store.Catalog.IncompleteContentException e) {
                    Optional<PackRecord> now = library.catalog().pack(plan.entry.id());
                    if (now.isPresent() && now.get().digest().equals(manifest.digest())) {
                        items.discard();
                        published = true;
                        return SyncStatus.State.UNCHANGED;
                    }
                    throw new PackException(PackException.Reason.CONFLICT, source + ": " + e.getMessage(), e);
                }
                published = true;
                library.catalog().discardStaged(items.batch());
            } finally {
                if (!published) {
                    items.discard();
                }
            }
        }
        progress.reused(Math.max(0, pack.totalSize() - fetched));
        return plan.here == null ? SyncStatus.State.ADDED : SyncStatus.State.UPDATED;
    }

    /** Files a format-2 pack's pieces are pulled by, at most (one group: see {@link #pullGroup}). */
    private static final int PIECES_GROUP_FILES = 2048;

    /**
     * Fetches, checks and stores what the files of {@code lines} (consecutive pieces) lack here,
     * then stages their files and items. Returns the bytes fetched.
     */
    private long pullGroup(List<ManifestPieces.Line> lines, String where, WriteBehind writer,
                           ChunkCompressor compressor, org.offlinecommons.pack.StreamedItems items, int index,
                           SyncProgress progress,
                           long[] toFetch) {
        List<FileRecipe> recipes = new ArrayList<>(lines.size());
        Map<String, String> pathByHash = new HashMap<>();
        Map<String, byte[]> documents = new HashMap<>();
        long[] kept = {0};
        for (ManifestPieces.Line l : lines) {
            recipes.add(l.recipe());
            pathByHash.putIfAbsent(l.file().sha256(), l.file().path());
            if (org.offlinecommons.pack.StreamedItems.reads(l.file())) {
                documents.putIfAbsent(l.file().sha256(), null);
            }
        }
        Documents wanted = new Documents() {
            @Override
            public boolean wants(String sha256) {
                return documents.containsKey(sha256) && documents.get(sha256) == null
                        && kept[0] < PIECE_DOCUMENT_BYTES;
            }

            @Override
            public void offer(String sha256, byte[] bytes) {
                if (wants(sha256)) {
                    documents.put(sha256, bytes);
                    kept[0] += bytes.length;
                }
            }
        };
        Needs needs = needs(recipes);
        if (!needs.files().isEmpty()) {
            progress.replanned(0, needs.bytes());
            toFetch[0] += needs.bytes();
            progress.pack(index, p -> p.withFetch(toFetch[0], p.bytesFetched()));
            Assembly assembly = new Assembly(needs, pathByHash, where, wanted, writer, compressor, index, progress);
            new ChunkFetcher(peer, connections, bulk).fetch(assembly.groups(), assembly);
            assembly.flush();
            writer.finish();
            List<FileRecipe> checked = new ArrayList<>();
            for (FileRecipe recipe : assembly.readBack()) {
                if (stage(recipe, pathByHash.getOrDefault(recipe.fileHash(), recipe.fileHash()), where, wanted)) {
                    checked.add(recipe);
                }
            }
            library.chunks().putRecipes(checked);
        }
        for (ManifestPieces.Line l : lines) {
            byte[] bytes = null;
            if (documents.containsKey(l.file().sha256())) {
                bytes = documents.get(l.file().sha256());
                if (bytes == null) {
                    bytes = readBack(l.file(), where);
                }
            }
            items.add(l.file(), bytes);
        }
        return needs.bytes();
    }

    /** A stored document's bytes (at most the size items read), for its title and text. */
    private byte[] readBack(FileList.Entry f, String where) {
        FileRecipe recipe = library.chunks().recipe(f.sha256()).orElseThrow(() -> new PackException(
                PackException.Reason.CONFLICT, where + ": '" + f.path() + "' was removed meanwhile (a pack was deleted"
                + " or replaced while this sync ran); nothing was changed, sync again"));
        try (InputStream in = library.chunks().open(recipe)) {
            return in.readNBytes((int) Math.min(f.size(), 8L << 20));
        } catch (IOException e) {
            throw new PackException(PackException.Reason.IO, where + ": '" + f.path() + "' cannot be read back ("
                    + e.getMessage() + ")", e);
        }
    }

    /** What the files' bytes are wanted for once verified: a pack's documents, read for items and search. */
    interface Documents {
        boolean wants(String sha256);

        void offer(String sha256, byte[] bytes);
    }

    private static Documents documents(ItemStaging items) {
        return new Documents() {
            @Override
            public boolean wants(String sha256) {
                return items.wants(sha256);
            }

            @Override
            public void offer(String sha256, byte[] bytes) {
                items.offer(sha256, bytes);
            }
        };
    }

    /** One chunk to fetch and, when it is part of a file checked as it arrives, which file and where in it. */
    private record Part(ChunkRef ref, FileRecipe file, int seq) {
    }

    /**
     * Receives the fetched chunks in order: stores them (on the writer), checks each file whose
     * chunks all arrive in this sync against its SHA-256 as its last chunk goes by, hands the
     * documents to {@link ItemStaging}, and records each checked file's recipe after its chunks.
     * Files that cannot be checked on the way (some chunk already stored, as after an
     * interrupted sync, or shared with another file) are read back from the library at the end.
     */
    private final class Assembly implements ChunkFetcher.Sink {
        private final Needs needs;
        private final Map<String, String> pathByHash;
        private final String source;
        private final Documents items;
        private final WriteBehind writer;
        private final ChunkCompressor compressor;
        private final int index;
        private final SyncProgress progress;
        private final List<List<Part>> parts = new ArrayList<>();
        private final List<FileRecipe> readBack = new ArrayList<>();
        private List<ChunkRef> chunkRefs = new ArrayList<>();
        private List<byte[]> chunkData = new ArrayList<>();
        private long chunkBytes;
        private List<FileRecipe> recipes = new ArrayList<>();
        /** The file being checked, and its state: the next chunk due, the hash and bytes so far. */
        private FileRecipe file;
        private MessageDigest digest;
        private java.io.ByteArrayOutputStream document;

        Assembly(Needs needs, Map<String, String> pathByHash, String source, Documents items, WriteBehind writer,
                 ChunkCompressor compressor, int index, SyncProgress progress) {
            this.compressor = compressor;
            this.needs = needs;
            this.pathByHash = pathByHash;
            this.source = source;
            this.items = items;
            this.writer = writer;
            this.index = index;
            this.progress = progress;
            Map<String, ChunkRef> toFetch = new LinkedHashMap<>();
            for (ChunkRef c : needs.chunks()) {
                toFetch.put(c.hash(), c);
            }
            List<Part> order = new ArrayList<>();
            for (FileRecipe f : needs.files()) {
                Set<String> own = new HashSet<>();
                boolean whole = !f.chunks().isEmpty();
                for (ChunkRef c : f.chunks()) {
                    whole &= toFetch.containsKey(c.hash()) && own.add(c.hash());
                }
                if (!whole) {
                    readBack.add(f);
                    continue;
                }
                for (int s = 0; s < f.chunks().size(); s++) {
                    order.add(new Part(toFetch.remove(f.chunks().get(s).hash()), f, s));
                }
            }
            for (ChunkRef c : toFetch.values()) {
                order.add(new Part(c, null, -1)); // for files read back
            }
            List<Part> current = new ArrayList<>();
            long bytes = 0;
            for (Part p : order) {
                if (!current.isEmpty() && (current.size() >= SyncTree.MAX_BULK_CHUNKS
                        || bytes + p.ref().size() > BULK_BYTES)) {
                    parts.add(current);
                    current = new ArrayList<>();
                    bytes = 0;
                }
                current.add(p);
                bytes += p.ref().size();
            }
            if (!current.isEmpty()) {
                parts.add(current);
            }
        }

        /**
         * Chunks grouped for bulk requests in the order files are checked: up to 256, and at
         * most 1 MiB (or one chunk), each. More per request would gain little (the round trips
         * that matter are those of small files) and a kill would lose more: what is in flight
         * is not stored.
         */
        List<List<ChunkRef>> groups() {
            return parts.stream().map(g -> g.stream().map(Part::ref).toList()).toList();
        }

        List<FileRecipe> readBack() {
            return readBack;
        }

        @Override
        public void accept(int group, List<byte[]> chunks) {
            List<Part> asked = parts.get(group);
            long bytes = 0;
            for (int i = 0; i < asked.size(); i++) {
                Part p = asked.get(i);
                byte[] data = chunks.get(i);
                chunkRefs.add(p.ref());
                chunkData.add(data);
                chunkBytes += data.length;
                bytes += data.length;
                if (p.file() != null) {
                    check(p, data);
                }
                if (chunkBytes >= STORE_BATCH_BYTES || chunkRefs.size() >= STORE_BATCH_CHUNKS
                        || recipes.size() >= STORE_BATCH_CHUNKS) {
                    flush();
                }
            }
            progress.fetched(index, bytes);
        }

        /** Hashes a file's next chunk (already verified as a chunk); at its last, checks the whole file. */
        private void check(Part p, byte[] data) {
            FileRecipe f = p.file();
            boolean single = f.chunks().size() == 1;
            if (p.seq() == 0) {
                file = f;
                // A one-chunk file's SHA-256 is its chunk's, which was just verified: no second hash.
                digest = single ? null : Hashes.sha256();
                document = !single && items.wants(f.fileHash())
                        ? new java.io.ByteArrayOutputStream((int) Math.min(f.size(), 8L << 20)) : null;
            } else if (file != f) {
                throw new IllegalStateException("chunks out of order"); // a bug here, never the peer's doing
            }
            if (digest != null) {
                digest.update(data);
            }
            if (document != null) {
                document.writeBytes(data);
            }
            if (p.seq() < f.chunks().size() - 1) {
                return;
            }
            String hash = single ? p.ref().hash() : Hashes.hex(digest.digest());
            if (!hash.equals(f.fileHash())) {
                throw new SyncException(SyncException.Reason.INVALID_PEER, source + ": '" + path(f) + "': its chunks"
                        + " do not make up its content (SHA-256 mismatch); the peer's manifest is wrong, nothing was"
                        + " published");
            }
            if (single ? items.wants(f.fileHash()) : document != null) {
                items.offer(f.fileHash(), single ? data : document.toByteArray());
            }
            FileRecipe ours = needs.recorded().get(f.fileHash());
            if (ours == null) {
                recipes.add(f);
            } else if (!ours.chunks().equals(f.chunks())) {
                throw damagedCopy(source + ": '" + path(f) + "'");
            }
            file = null;
            digest = null;
            document = null;
        }

        private String path(FileRecipe f) {
            return pathByHash.getOrDefault(f.fileHash(), f.fileHash());
        }

        /** Hands the chunks and the recipes of the files they complete to the writer, chunks first. */
        void flush() {
            if (chunkRefs.isEmpty() && recipes.isEmpty()) {
                return;
            }
            List<ChunkRef> refs = chunkRefs;
            List<byte[]> data = chunkData;
            List<FileRecipe> done = recipes;
            writer.submit(() -> library.chunks().putChunksAndRecipes(refs, data, compressor, done));
            chunkRefs = new ArrayList<>();
            chunkData = new ArrayList<>();
            recipes = new ArrayList<>();
            chunkBytes = 0;
        }

        @Override
        public void leftovers(List<ChunkRef> refs, List<byte[]> chunks) {
            // What was verified before the failure is kept (a retry resumes after it), but no
            // recipe of a file not yet checked; the writer may have failed, so store directly.
            RuntimeException failed = null;
            try {
                writer.finish();
            } catch (RuntimeException e) {
                failed = e;
            }
            List<ChunkRef> allRefs = new ArrayList<>(chunkRefs);
            List<byte[]> allData = new ArrayList<>(chunkData);
            allRefs.addAll(refs);
            allData.addAll(chunks);
            chunkRefs = new ArrayList<>();
            chunkData = new ArrayList<>();
            library.chunks().putChunks(allRefs, allData, compressor);
            if (failed == null) {
                library.chunks().putRecipes(recipes);
            }
            recipes = new ArrayList<>();
            if (failed != null) {
                throw failed;
            }
        }
    }

    private static PackException damagedCopy(String where) {
        return new PackException(PackException.Reason.CONFLICT, where + ": this library holds"
                + " a damaged copy of this content; run 'offline-commons verify'");
    }

    /**
     * Checks a file's chunks, now all stored, add up to its SHA-256; true when its recipe is
     * not recorded yet. Recipes are only ever written after this check: a recipe names the
     * bytes of a file hash for every pack that holds that hash, so a wrong one must never reach
     * the store.
     */
    private boolean stage(FileRecipe theirs, String path, String source, Documents items) {
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
            throw damagedCopy(source + ": '" + path + "'");
        }
        return false;
    }

    private void checkFreeSpace(String source, long needed, long fileCount) {
        reserve.shortfall(library.dataDir(), source, "the pack with working room",
                ChunkStore.stagingBytes(needed, fileCount)).ifPresent(message -> {
            throw new SyncException(SyncException.Reason.NO_SPACE, message);
        });
    }
}
