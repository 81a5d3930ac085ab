package org.offlinecommons.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, so expiry is checked without waiting. */
public final class TestClock extends Clock {

    private final Instant start;
    private volatile Instant now;

    public TestClock() {
        this(Instant.parse("2025-03-01T08:00:00Z"));
    }

    /** From {@code start}, such as now, for tests that compare with the times of real files. */
    public TestClock(Instant start) {
        this.start = start;
        this.now = start;
    }

    /** How far the clock was moved, as a monotonic clock's nanoseconds. */
    public long nanos() {
        return Duration.between(start, now).toNanos();
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
