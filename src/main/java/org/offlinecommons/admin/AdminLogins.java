package org.offlinecommons.admin;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Logging in as the admin: the throttle per address, the password check, and the audit of every
 * attempt, in one place for whatever asks (the login page, the JSON login).
 */
public final class AdminLogins {

    /** How an attempt ended. */
    public enum Result {
        OK,
        /** Too many mistakes from this address: try again after {@link Outcome#waitSeconds}. */
        WAIT,
        /** Every password check is in use (a flood of logins): try again in a moment. */
        BUSY,
        WRONG
    }

    public record Outcome(Result result, long waitSeconds) {
    }

    private static final long BUSY_WAIT_SECONDS = 20;

    private final AdminPassword password;
    private final LoginThrottle throttle;
    private final Audit audit;
    /** Two cores: two password checks at once at most, so a login flood cannot starve the readers. */
    private final Semaphore hashing = new Semaphore(2);

    public AdminLogins(AdminPassword password, LoginThrottle throttle, Audit audit) {
        this.password = password;
        this.throttle = throttle;
        this.audit = audit;
    }

    /**
     * @param address where the attempt came from
     * @param given   the password typed, or null when none was sent
     */
    public Outcome attempt(String address, String given) {
        Duration wait = throttle.begin(address);
        if (!wait.isZero()) {
            return new Outcome(Result.WAIT, Math.max(1, (wait.toMillis() + 999) / 1000));
        }
        boolean ok;
        try {
            if (!hashing.tryAcquire(BUSY_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return new Outcome(Result.BUSY, 0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Result.BUSY, 0);
        }
        try {
            ok = given != null && password.check(given.toCharArray());
        } finally {
            hashing.release();
        }
        if (!ok) {
            audit.record("log in failed", "wrong password", address);
            return new Outcome(Result.WRONG, 0);
        }
        throttle.succeeded(address);
        audit.record("log in", "admin session opened", address);
        return new Outcome(Result.OK, 0);
    }
}
