package org.offlinecommons.sync;

import java.util.List;
import org.offlinecommons.pack.Sizes;

/**
 * A moment's view of a sync, for the progress bar, the jobs API and the final summary.
 * {@code transferredBytes} counts every byte the peer sent (JSON and chunks, kept or refused);
 * {@code reusedBytes} is what the pulled packs hold that was already stored here.
 */
public record SyncStatus(String peer, String peerName, boolean dryRun, Phase phase, List<PackStatus> packs,
                         long fetchTotalBytes, long fetchedBytes, long transferredBytes, long reusedBytes,
                         String error) {

    public enum Phase { CONNECTING, PLANNING, PULLING, DONE, FAILED }

    /** What a sync decided for a pack the peer offers. */
    public enum Action {
        /** Not here: pull it. */
        ADD,
        /** A newer version there: pull it. */
        UPDATE,
        /** The same version, same content. */
        UP_TO_DATE,
        /** This library has a newer version. */
        NEWER_HERE,
        /** The same version number with other content: refused, a changed pack needs a new version. */
        CONFLICT,
        /** The peer's manifest for it was malformed or did not match its catalog. */
        REFUSED;

        public boolean pulls() {
            return this == ADD || this == UPDATE;
        }
    }

    public enum State { PENDING, PULLING, ADDED, UPDATED, UNCHANGED, SKIPPED, FAILED }

    /** One pack of the sync. {@code versionHere} is null when the pack is not installed here. */
    public record PackStatus(String id, String title, Long versionHere, long versionThere, long size, Action action,
                             State state, long bytesToFetch, long bytesFetched, String message) {

        PackStatus with(State newState, String newMessage) {
            return new PackStatus(id, title, versionHere, versionThere, size, action, newState, bytesToFetch,
                    bytesFetched, newMessage);
        }

        PackStatus withFetch(long toFetch, long fetched) {
            return new PackStatus(id, title, versionHere, versionThere, size, action, state, toFetch, fetched, message);
        }
    }

    public SyncStatus {
        packs = List.copyOf(packs);
    }

    public long count(State state) {
        return packs.stream().filter(p -> p.state() == state).count();
    }

    public boolean ok() {
        return phase == Phase.DONE && count(State.FAILED) == 0;
    }

    /** For each pack that failed: its id and why. */
    public List<String> problems() {
        return packs.stream().filter(p -> p.state() == State.FAILED).map(p -> p.id() + ": " + p.message()).toList();
    }

    /** One line for people: what the sync did, or would do. */
    public String summary() {
        String from = peerName == null || peerName.isBlank() ? peer : peerName + " (" + peer + ")";
        if (phase == Phase.FAILED && packs.isEmpty()) {
            return "Sync with " + from + " failed: " + error;
        }
        if (dryRun) {
            long add = packs.stream().filter(p -> p.action() == Action.ADD).count();
            long update = packs.stream().filter(p -> p.action() == Action.UPDATE).count();
            long bytes = packs.stream().filter(p -> p.action().pulls()).mapToLong(PackStatus::bytesToFetch).sum();
            return "Dry run, nothing was changed: " + from + " has " + plural(add, "pack") + " to add and "
                    + plural(update, "pack") + " to update here; pulling them would transfer about "
                    + Sizes.human(bytes) + ".";
        }
        StringBuilder s = new StringBuilder();
        long added = count(State.ADDED);
        long updated = count(State.UPDATED);
        if (added + updated == 0) {
            s.append("Nothing new from ").append(from).append(". Transferred ").append(Sizes.human(transferredBytes))
                    .append(".");
        } else {
            s.append("Added ").append(plural(added, "pack")).append(" and updated ").append(plural(updated, "pack"))
                    .append(" from ").append(from).append(". Transferred ").append(Sizes.human(transferredBytes));
            if (reusedBytes > 0) {
                s.append("; ").append(Sizes.human(reusedBytes))
                        .append(" of the pulled packs was already stored here and not transferred (deduplicated)");
            }
            s.append(".");
        }
        long failed = count(State.FAILED);
        if (failed > 0) {
            s.append(" ").append(plural(failed, "pack")).append(" failed; run the sync again to resume.");
        }
        return s.toString();
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
