package org.offlinecommons.sync;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.offlinecommons.store.ChunkRef;
import org.offlinecommons.store.ChunkStore;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryScrub;
import org.offlinecommons.store.ProgressListener;

/**
 * Heals a library whose disk damaged some chunks: finds the damage (a scrub pass, unless only
 * what is recorded already is wanted), fetches each damaged chunk again by its hash from a peer
 * server or a mirror folder, checks it against that hash and stores it in place. The CLI's
 * {@code repair} and anything else that heals call this.
 */
public final class LibraryRepair {

    /** Where good copies come from: a peer's sync tree over HTTP, or a mirror folder. */
    public sealed interface Source {
        /** The chunk's bytes as the source has them (unverified), or empty when it has none. */
        Optional<byte[]> fetch(ChunkRef ref);

        String describe();
    }

    /** A peer server (or a web server publishing a mirror), by its base URL. */
    public record Peer(PeerClient client) implements Source {
        @Override
        public Optional<byte[]> fetch(ChunkRef ref) {
            try {
                return Optional.of(client.chunk(ref));
            } catch (SyncException e) {
                if (e.reason() == SyncException.Reason.UNREACHABLE) {
                    throw e;
                }
                return Optional.empty(); // the peer has no good copy either
            }
        }

        @Override
        public String describe() {
            return client.base().toString();
        }
    }

    /** A folder written by {@code mirror} (a USB stick). */
    public record MirrorFolder(Path dir) implements Source {
        @Override
        public Optional<byte[]> fetch(ChunkRef ref) {
            Path file = dir.resolve(SyncTree.chunk(ref.hash()));
            try {
                if (!Files.isRegularFile(file) || Files.size(file) != ref.size()) {
                    return Optional.empty();
                }
                return Optional.of(Files.readAllBytes(file));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        @Override
        public String describe() {
            return dir.toString();
        }
    }

    /** A peer URL or, when {@code where} names an existing folder, a mirror. */
    public static Source source(String where, String token) {
        Path dir = Path.of(where);
        if (!where.contains("://") && Files.isDirectory(dir)) {
            return new MirrorFolder(dir);
        }
        URI base = PeerUrl.parse(where);
        return new Peer(new PeerClient(base, token));
    }

    /** What a repair did: chunks found damaged, chunks healed, and those no source had. */
    public record Result(int damaged, int repaired, List<String> unrepaired) {
        public Result {
            unrepaired = List.copyOf(unrepaired);
        }
    }

    private final Library library;

    public LibraryRepair(Library library) {
        this.library = library;
    }

    /**
     * @param scrubFirst re-check every chunk first (finds damage no read has met yet); false
     *                   repairs only what is recorded
     */
    public Result repair(Source source, boolean scrubFirst, ProgressListener progress) throws InterruptedException {
        if (scrubFirst) {
            new LibraryScrub(library).pass(0, progress);
        }
        ChunkStore chunks = library.chunks();
        List<ChunkStore.DamagedChunk> damaged = chunks.damaged();
        List<String> unrepaired = new ArrayList<>();
        int repaired = 0;
        for (ChunkStore.DamagedChunk d : damaged) {
            if (d.size() < 0) {
                chunks.forget(d.hash()); // no longer stored (its pack was deleted): nothing to heal
                continue;
            }
            Optional<byte[]> copy = source.fetch(new ChunkRef(d.hash(), d.size()));
            if (copy.isPresent() && copy.get().length == d.size() && chunks.restore(d.hash(), copy.get())) {
                repaired++;
            } else {
                unrepaired.add(d.hash() + (d.where().isEmpty() ? "" : " (" + d.where() + ")"));
            }
        }
        return new Result(damaged.size(), repaired, unrepaired);
    }
}
