package org.offlinecommons.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing from one address: a few mistakes are free (people mistype),
 * then every further failure doubles the wait before the next try, up to {@link #MAX_WAIT}.
 * A success, or an hour without failures, forgets the address.
 */
public final class LoginThrottle {

    public static final int FREE_FAILURES = 5;
    public static final Duration MAX_WAIT = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofHours(1);
    /** Bounded, so a flood of spoofed-looking addresses cannot fill memory. */
    static final int MAX_ADDRESSES = 10_000;

    private record Record(int failures, Instant lastFailure, Instant lockedUntil) {
    }

    private final Clock clock;
    private final Map<String, Record> byAddress = new LinkedHashMap<>();

    public LoginThrottle() {
        this(Clock.systemUTC());
    }

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code address} must wait before it may try a password; zero if it may now. */
    public synchronized Duration waitBefore(String address) {
        Record r = current(address);
        if (r == null || r.lockedUntil == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), r.lockedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * Checks and counts in one step: when {@code address} may try now, the try is counted as a
     * failure at once (a success then forgets it), so parallel tries queued behind the password
     * hashing cannot all pass the check before any of them has failed.
     *
     * @return zero if the try may go ahead (and is counted), else how long to wait
     */
    public synchronized Duration begin(String address) {
        Duration wait = waitBefore(address);
        if (wait.isZero()) {
            failed(address);
        }
        return wait;
    }

    public synchronized void failed(String address) {
        Instant now = clock.instant();
        Record r = current(address);
        int failures = (r == null ? 0 : r.failures) + 1;
        Instant lockedUntil = null;
        if (failures > FREE_FAILURES) {
            int doublings = Math.min(failures - FREE_FAILURES - 1, 20);
            Duration wait = Duration.ofSeconds(1L << doublings);
            lockedUntil = now.plus(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait);
        }
        byAddress.remove(address); // re-inserted last: the map stays in order of last failure
        byAddress.put(address, new Record(failures, now, lockedUntil));
        trim(now);
    }

    public synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    private Record current(String address) {
        Record r = byAddress.get(address);
        if (r != null && forgettable(r, clock.instant())) {
            byAddress.remove(address);
            return null;
        }
        return r;
    }

    private boolean forgettable(Record r, Instant now) {
        Instant lockEnd = r.lockedUntil == null ? r.lastFailure : r.lockedUntil;
        return now.isAfter(r.lastFailure.plus(FORGET_AFTER)) && !now.isBefore(lockEnd);
    }

    private void trim(Instant now) {
        if (byAddress.size() <= MAX_ADDRESSES) {
            return;
        }
        byAddress.values().removeIf(r -> forgettable(r, now));
        while (byAddress.size() > MAX_ADDRESSES) {
            // A mistyped password first, oldest first: an address that is being slowed down must
            // not be freed by a flood of new ones.
            String victim = byAddress.entrySet().stream().filter(e -> e.getValue().failures <= FREE_FAILURES)
                    .map(Map.Entry::getKey).findFirst().orElse(byAddress.keySet().iterator().next());
            byAddress.remove(victim);
        }
    }
}
