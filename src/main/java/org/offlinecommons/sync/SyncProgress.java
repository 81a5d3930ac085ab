package org.offlinecommons.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.offlinecommons.store.ProgressListener;

/**
 * The live state of one sync, updated by the puller's threads and read by whoever watches
 * (a progress bar, the jobs API). Fetched bytes also go to a {@link ProgressListener}.
 */
public final class SyncProgress {

    private final String peer;
    private final boolean dryRun;
    private final ProgressListener bytes;
    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong fetchTotal = new AtomicLong();
    private volatile LongSupplier transferred = () -> 0;
    private String peerName;
    private SyncStatus.Phase phase = SyncStatus.Phase.CONNECTING;
    private final List<SyncStatus.PackStatus> packs = new ArrayList<>();
    private long reused;
    private String error;

    public SyncProgress(String peer, boolean dryRun, ProgressListener bytes) {
        this.peer = peer;
        this.dryRun = dryRun;
        this.bytes = bytes;
    }

    public synchronized SyncStatus status() {
        return new SyncStatus(peer, peerName, dryRun, phase, packs, fetchTotal.get(), fetched.get(),
                transferred.getAsLong(), reused, error);
    }

    synchronized void connected(String name, LongSupplier transferredBytes) {
        this.peerName = name;
        this.transferred = transferredBytes;
    }

    synchronized void phase(SyncStatus.Phase p) {
        this.phase = p;
    }

    synchronized void failed(String why) {
        this.error = why;
        this.phase = SyncStatus.Phase.FAILED;
    }

    void planned(List<SyncStatus.PackStatus> plan) {
        synchronized (this) {
            packs.clear();
            packs.addAll(plan);
            fetchTotal.set(plan.stream().filter(p -> p.action().pulls())
                    .mapToLong(SyncStatus.PackStatus::bytesToFetch).sum());
        }
        if (!dryRun && fetchTotal.get() > 0) {
            bytes.update(0, fetchTotal.get());
        }
    }

    synchronized SyncStatus.PackStatus pack(int index) {
        return packs.get(index);
    }

    synchronized void pack(int index, UnaryOperator<SyncStatus.PackStatus> change) {
        packs.set(index, change.apply(packs.get(index)));
    }

    /**
     * A pack, about to be pulled, needs other than the planned bytes: fewer when an earlier pack
     * of this sync brought shared content, more if something was removed meanwhile.
     */
    void replanned(long planned, long actual) {
        if (planned != actual) {
            fetchTotal.addAndGet(actual - planned);
            bytes.update(fetched.get(), fetchTotal.get());
        }
    }

    void fetched(int index, long n) {
        long done = fetched.addAndGet(n);
        synchronized (this) {
            SyncStatus.PackStatus p = packs.get(index);
            packs.set(index, p.withFetch(p.bytesToFetch(), p.bytesFetched() + n));
        }
        bytes.update(done, fetchTotal.get());
    }

    synchronized void reused(long n) {
        reused += n;
    }
}
