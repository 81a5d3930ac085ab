package org.offlinecommons.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tokens this server hands a peer with a pull request (a sync both ways), so that the peer can
 * read this server's sync tree when it runs with {@code --sync-token}, without ever learning that
 * token. Each is made for one request, lets its bearer read the tree and nothing else, and ends
 * when unused for {@link #IDLE} or at the latest after {@link #LIFETIME}.
 */
public final class PullGrants {

    /** Longer than any pause between a pull's requests, even a peer busy storing a large pack. */
    public static final Duration IDLE = Duration.ofMinutes(15);
    /** Long enough to pull a whole Wikipedia over a slow link. */
    public static final Duration LIFETIME = Duration.ofHours(48);
    /** Live grants at the most: a few peers syncing at once; the oldest ends first. */
    static final int MAX = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Grant(Instant issued, Instant lastUsed) {
    }

    private final Clock clock;
    private final Map<String, Grant> live = new LinkedHashMap<>();

    public PullGrants() {
        this(Clock.systemUTC());
    }

    public PullGrants(Clock clock) {
        this.clock = clock;
    }

    /** A fresh grant: 32 hex digits, a valid sync token ({@link PeerClient#checkToken}). */
    public synchronized String issue() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        Instant now = clock.instant();
        forgetExpired(now);
        live.put(token, new Grant(now, now));
        while (live.size() > MAX) {
            Iterator<String> oldest = live.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return token;
    }

    /** True when {@code given} is a live grant; using it keeps it alive for another {@link #IDLE}. */
    public synchronized boolean allows(String given) {
        if (given == null) {
            return false;
        }
        Instant now = clock.instant();
        forgetExpired(now);
        byte[] bytes = given.getBytes(StandardCharsets.UTF_8);
        // Every live grant compared in full: how long this takes says nothing about which one matched.
        String match = null;
        for (String token : live.keySet()) {
            if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), bytes)) {
                match = token;
            }
        }
        if (match == null) {
            return false;
        }
        live.put(match, new Grant(live.get(match).issued(), now));
        return true;
    }

    private void forgetExpired(Instant now) {
        live.values().removeIf(g -> now.isAfter(g.lastUsed().plus(IDLE)) || now.isAfter(g.issued().plus(LIFETIME)));
    }
}
