package org.offlinecommons.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin sessions, in memory: a restart logs everyone out, which on a school server is a
 * feature. A session ends after {@code idle} without use, after {@code lifetime} in any case,
 * and when the password changes.
 */
public final class Sessions {

    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(60);
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);
    /** A handful of admins at most; the cap only stops a flood of logins from filling memory. */
    public static final int DEFAULT_MAX = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final class Entry {
        final AdminSession session;
        volatile Instant lastSeen;

        Entry(AdminSession session) {
            this.session = session;
            this.lastSeen = session.createdAt();
        }
    }

    private final Clock clock;
    private final Duration idle;
    private final Duration lifetime;
    private final int max;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();

    public Sessions() {
        this(Clock.systemUTC(), DEFAULT_IDLE, DEFAULT_LIFETIME, DEFAULT_MAX);
    }

    public Sessions(Clock clock, Duration idle, Duration lifetime, int max) {
        this.clock = clock;
        this.idle = idle;
        this.lifetime = lifetime;
        this.max = max;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A new session with fresh secrets (never one the browser brought along). */
    public AdminSession open(String address, String passwordStamp) {
        AdminSession session = new AdminSession(secret(), secret(), address, clock.instant(), passwordStamp);
        byId.put(session.id(), new Entry(session));
        if (byId.size() > max) {
            forgetExpired();
            while (byId.size() > max) {
                byId.values().stream().min(Comparator.comparing((Entry e) -> e.lastSeen))
                        .ifPresent(oldest -> byId.remove(oldest.session.id()));
            }
        }
        return session;
    }

    /**
     * The live session with this id, which counts as a use of it. Empty if there is none, it
     * expired, or the password changed since it was opened.
     */
    public Optional<AdminSession> find(String id, String currentPasswordStamp) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Entry e = byId.get(id);
        if (e == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(e, now) || !e.session.stamp().equals(currentPasswordStamp)) {
            byId.remove(id);
            return Optional.empty();
        }
        e.lastSeen = now;
        return Optional.of(e.session);
    }

    public void close(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    public int count() {
        forgetExpired();
        return byId.size();
    }

    /** Compares secrets in constant time, so response times tell nothing about how much matched. */
    public static boolean sameSecret(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private boolean expired(Entry e, Instant now) {
        return now.isAfter(e.lastSeen.plus(idle)) || now.isAfter(e.session.createdAt().plus(lifetime));
    }

    private void forgetExpired() {
        Instant now = clock.instant();
        byId.values().removeIf(e -> expired(e, now));
    }

    /** 256 random bits, URL- and cookie-safe. */
    static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
