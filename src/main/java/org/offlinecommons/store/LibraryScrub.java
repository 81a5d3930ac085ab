package org.offlinecommons.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads every stored chunk and checks it against its SHA-256, like a filesystem scrub: damage
 * on a rotting disk is found and recorded ({@link ChunkStore#damaged()}) before anyone asks for
 * it, so that {@code repair} can heal it. Paced to a number of bytes per second and reading one
 * chunk at a time, so that a school's server keeps serving while it runs.
 */
public final class LibraryScrub {

    private static final Logger LOG = LoggerFactory.getLogger(LibraryScrub.class);
    /** Chunk rows listed per query: the reader connection is never held for long. */
    private static final int PAGE = 64;

    /** What a pass found: chunks and bytes checked, and the hashes of the damaged chunks. */
    public record Report(long chunks, long bytes, List<String> damaged) {
        public Report {
            damaged = List.copyOf(damaged);
        }
    }

    private final Library library;
    /** Bytes checked by the pass running now (for /metrics and the admin), and its total. */
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong damagedFound = new AtomicLong();
    private volatile boolean running;
    /** When the last whole pass ended (epoch millis, 0: none yet), and the damage it found. */
    private volatile long lastFinishedAt;
    private volatile long lastDamaged;
    private volatile java.util.function.Consumer<Report> afterPass = r -> { };

    /** Where the scrub stands, for /metrics and the admin dashboard. */
    public record Status(boolean running, long doneBytes, long totalBytes, long damagedFound, long lastFinishedAt,
                         long lastDamaged) {
        public int percent() {
            return totalBytes <= 0 ? 0 : (int) Math.min(100, doneBytes * 100 / totalBytes);
        }
    }

    public LibraryScrub(Library library) {
        this.library = library;
    }

    public long doneBytes() {
        return done.get();
    }

    public long totalBytes() {
        return total.get();
    }

    public Status status() {
        return new Status(running, done.get(), total.get(), damagedFound.get(), lastFinishedAt, lastDamaged);
    }

    /** Whom to tell after each background pass (the server's self-healing); runs on the scrub's thread. */
    public void afterPass(java.util.function.Consumer<Report> listener) {
        this.afterPass = listener;
    }

    /**
     * One pass over every chunk, reading at most {@code bytesPerSecond} (0: as fast as the disk
     * goes). A chunk found intact again is taken off the damaged list (healed by another way).
     *
     * @throws InterruptedException when stopped; what was found so far stays recorded
     */
    public Report pass(long bytesPerSecond, ProgressListener progress) throws InterruptedException {
        running = true;
        damagedFound.set(0);
        try {
            Report report = checkAll(bytesPerSecond, progress);
            lastDamaged = report.damaged().size();
            lastFinishedAt = System.currentTimeMillis();
            return report;
        } finally {
            running = false;
        }
    }

    private Report checkAll(long bytesPerSecond, ProgressListener progress) throws InterruptedException {
        ChunkStore chunks = library.chunks();
        java.util.Set<String> recorded = new java.util.HashSet<>();
        for (ChunkStore.DamagedChunk d : chunks.damaged()) {
            recorded.add(d.hash());
        }
        total.set(chunks.storedBytes());
        done.set(0);
        long started = System.nanoTime();
        long count = 0;
        List<String> damaged = new ArrayList<>();
        long afterId = 0;
        while (true) {
            List<Row> rows = rows(afterId);
            if (rows.isEmpty()) {
                break;
            }
            for (Row row : rows) {
                afterId = row.id();
                if (Thread.interrupted()) {
                    throw new InterruptedException("scrub stopped");
                }
                java.util.Optional<byte[]> raw = chunks.readUnchecked(row.hash());
                if (raw.isEmpty()) {
                    continue; // removed meanwhile
                }
                count++;
                if (!ChunkStore.intact(row.hash(), raw.get()) || raw.get().length != row.size()) {
                    damaged.add(row.hash());
                    damagedFound.incrementAndGet();
                    chunks.damaged(row.hash());
                } else if (recorded.contains(row.hash())) {
                    chunks.forget(row.hash()); // healed meanwhile (a repair, a good copy synced in)
                }
                long d = done.addAndGet(row.size());
                progress.update(d, total.get());
                if (bytesPerSecond > 0) {
                    long dueNanos = (long) (d * 1e9 / bytesPerSecond);
                    long aheadMillis = (dueNanos - (System.nanoTime() - started)) / 1_000_000;
                    if (aheadMillis > 0) {
                        Thread.sleep(aheadMillis);
                    }
                }
            }
        }
        return new Report(count, done.get(), damaged);
    }

    private record Row(long id, String hash, long size) {
    }

    private List<Row> rows(long afterId) {
        return library.database().read(c -> {
            List<Row> out = new ArrayList<>(PAGE);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, hash, size FROM chunk WHERE id > ? ORDER BY id LIMIT " + PAGE)) {
                ps.setLong(1, afterId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Runs a pass after {@code firstDelay}, then one every {@code interval}, on a daemon thread of
     * low priority, until closed. Failures are logged and the next pass tries again.
     */
    public AutoCloseable startBackground(Duration firstDelay, Duration interval, long bytesPerSecond) {
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(firstDelay.toMillis());
                while (true) {
                    try {
                        Report r = pass(bytesPerSecond, ProgressListener.NONE);
                        if (r.damaged().isEmpty()) {
                            LOG.info("Scrub: {} chunks checked, no damage", r.chunks());
                        } else {
                            LOG.error("Scrub: {} chunks checked, {} damaged; run 'offline-commons repair --from PEER'",
                                    r.chunks(), r.damaged().size());
                        }
                        try {
                            afterPass.accept(r);
                        } catch (RuntimeException e) {
                            LOG.warn("After the scrub pass: {}", e.toString());
                        }
                    } catch (StoreException e) {
                        LOG.warn("Scrub pass failed: {}", e.getMessage());
                    }
                    Thread.sleep(interval.toMillis());
                }
            } catch (InterruptedException e) {
                // closed
            }
        }, "library-scrub");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return () -> {
            thread.interrupt();
            thread.join(5_000);
        };
    }
}
