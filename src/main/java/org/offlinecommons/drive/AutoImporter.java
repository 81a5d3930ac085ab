package org.offlinecommons.drive;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.store.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the inbox and the drives, and imports each new or newer pack once its file is
 * complete: its size and modification time have stayed the same for the settle time. A stick
 * still being copied to is never read half-written, and each file is imported once; it is
 * looked at again only if it changes.
 */
public final class AutoImporter implements AutoCloseable {

    /** Hears what the watcher did; for logs and tests. */
    public interface Listener {
        default void started(FoundPack pack, DriveImports.Started started) {
        }

        default void refused(FoundPack pack, String why) {
        }
    }

    public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(AutoImporter.class);

    /** A file as last seen, and since when it has looked like that. */
    private record Seen(long size, Instant modified, long sinceNanos, boolean handled) {
        Seen markHandled() {
            return new Seen(size, modified, sinceNanos, true);
        }
    }

    private final Drives drives;
    private final DriveImports imports;
    private final Listener listener;
    private final Map<Path, Seen> seen = new HashMap<>();
    /** Monotonic: a wall clock set back must not hold a file back, nor one set forward let it in half-copied. */
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService timer;

    private AutoImporter(Drives drives, DriveImports imports, Listener listener, LongSupplier nanoTime) {
        this.drives = drives;
        this.imports = imports;
        this.listener = listener;
        this.nanoTime = nanoTime;
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("auto-import"));
    }

    /** Starts watching, looking every {@code pollEvery}. */
    public static AutoImporter start(Drives drives, DriveImports imports, Duration pollEvery, Listener listener) {
        AutoImporter watcher = new AutoImporter(drives, imports, listener == null ? logging() : listener,
                System::nanoTime);
        watcher.timer.scheduleWithFixedDelay(watcher::pollSafely, 0, pollEvery.toMillis(), TimeUnit.MILLISECONDS);
        return watcher;
    }

    public static AutoImporter start(Drives drives, DriveImports imports) {
        return start(drives, imports, DEFAULT_POLL, null);
    }

    /** A watcher that looks only when {@link #poll} is called, on the given clock: for tests that move time by hand. */
    static AutoImporter manual(Drives drives, DriveImports imports, Listener listener, LongSupplier nanoTime) {
        return new AutoImporter(drives, imports, listener, nanoTime);
    }

    /** A listener that writes to the server's log. */
    public static Listener logging() {
        return new Listener() {
            @Override
            public void started(FoundPack pack, DriveImports.Started started) {
                LOG.info("Auto-import of {} started (job {})", pack.file(), started.job().id());
            }

            @Override
            public void refused(FoundPack pack, String why) {
                LOG.warn("Auto-import refused {}: {}", pack.file(), why);
            }
        };
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // One bad look (a drive pulled out mid-scan) must not stop the watching.
            LOG.warn("Looking for packs on drives failed; trying again", e);
        }
    }

    void poll() {
        long now = nanoTime.getAsLong();
        long settle = drives.settle().toNanos();
        Map<Path, Drives.FileStamp> current = new HashMap<>();
        for (Drives.FileStamp stamp : drives.packFiles()) {
            current.put(stamp.file(), stamp);
        }
        seen.keySet().retainAll(current.keySet());
        for (Drives.FileStamp stamp : current.values()) {
            Seen last = seen.get(stamp.file());
            if (last == null || last.size() != stamp.size() || !last.modified().equals(stamp.modified())) {
                seen.put(stamp.file(), new Seen(stamp.size(), stamp.modified(), now, false));
                continue;
            }
            if (last.handled() || now - last.sinceNanos() < settle) {
                continue;
            }
            Optional<FoundPack> found = drives.inspect(stamp.file());
            if (found.isEmpty() || found.get().fileBytes() != stamp.size()) {
                continue; // gone or changed since: the next look starts its clock again
            }
            if (handle(found.get())) {
                seen.put(stamp.file(), last.markHandled());
            }
        }
    }

    /** Acts on a settled pack; false to look at it again later. */
    private boolean handle(FoundPack pack) {
        switch (pack.state()) {
            case NEW, NEWER -> {
                if (imports.busy(pack.packId())) {
                    return false; // the same pack from another drive is going in; then this one may be newer
                }
                try {
                    List<DriveImports.Started> started = imports.start(List.of(pack.file()));
                    started.forEach(s -> listener.started(pack, s));
                } catch (PackException e) {
                    listener.refused(pack, e.getMessage());
                }
                return true;
            }
            case INVALID -> {
                listener.refused(pack, pack.detail());
                return true;
            }
            default -> {
                return true;
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
