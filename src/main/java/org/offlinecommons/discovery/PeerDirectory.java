package org.offlinecommons.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.sync.PeerUrl;
import org.offlinecommons.sync.ServerIdentity;
import org.offlinecommons.sync.SyncException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers this server knows: those discovery heard from (forgotten {@link #FORGET_AFTER}
 * after the last time), and those the admin added by address (kept in the library's settings,
 * so they survive a restart). A peer heard several ways is one entry.
 */
public final class PeerDirectory {

    public static final Duration FORGET_AFTER = Duration.ofSeconds(90);
    /** Forged announcements with ever new ids must not grow this without bound. */
    static final int MAX_DISCOVERED = 256;
    static final int MAX_MANUAL = 100;
    static final String MANUAL_SETTING = "discovery.manual-peers";
    private static final Logger LOG = LoggerFactory.getLogger(PeerDirectory.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A peer as this server knows it.
     *
     * @param key          a short stable name for the API and the pages, derived from the URL
     * @param serverId     its id, or null for a peer added by address and never heard from
     * @param name         its name as announced, or null when only added by address
     * @param lastSeen     when discovery last heard from it, or null
     * @param announcement what it last announced, or null
     */
    public record Peer(String key, URI url, String serverId, String name, Set<PeerSource> sources, Instant lastSeen,
                       Announcement announcement) {
        public Peer {
            sources = sources.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(sources));
        }

        public boolean manual() {
            return sources.contains(PeerSource.MANUAL);
        }

        /** The sources in a fixed order, for display. */
        public List<PeerSource> sourceList() {
            return java.util.Arrays.stream(PeerSource.values()).filter(sources::contains).toList();
        }
    }

    private final Library library;
    private final Clock clock;
    private final String ownId;
    private final Map<String, Map<PeerSource, Sighting>> discovered = new LinkedHashMap<>();
    private final List<URI> manual;
    private volatile DiscoveryReport report = DiscoveryReport.off();
    private boolean fullLogged;

    public PeerDirectory(Library library, Clock clock) {
        this.library = library;
        this.clock = clock;
        this.ownId = ServerIdentity.of(library).id();
        this.manual = loadManual();
    }

    public String ownId() {
        return ownId;
    }

    /** The short name of the peer at this URL: 16 hex digits of its SHA-256. */
    public static String key(URI url) {
        return Hashes.sha256Hex(url.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    public DiscoveryReport report() {
        return report;
    }

    public void report(DiscoveryReport r) {
        this.report = r;
    }

    /** Discovery heard from a peer. Our own announcements are ignored. */
    public synchronized void seen(Sighting s) {
        String id = s.announcement().serverId();
        if (id.equals(ownId)) {
            return;
        }
        if (!discovered.containsKey(id)) {
            forgetExpired();
            if (discovered.size() >= MAX_DISCOVERED) {
                if (!fullLogged) {
                    fullLogged = true;
                    LOG.warn("Discovery: more than {} peers announced themselves; ignoring new ones until some go"
                            + " quiet (a flood of forged announcements?)", MAX_DISCOVERED);
                }
                return;
            }
        }
        discovered.computeIfAbsent(id, k -> new EnumMap<>(PeerSource.class)).put(s.source(), s);
    }

    /** A peer withdrew (an mDNS goodbye): forget what that way told us of it. */
    public synchronized void gone(PeerSource source, String serverId) {
        Map<PeerSource, Sighting> by = discovered.get(serverId);
        if (by != null) {
            by.remove(source);
            if (by.isEmpty()) {
                discovered.remove(serverId);
            }
        }
    }

    /** Every peer: heard recently, or added by address; sorted by name, then address. */
    public synchronized List<Peer> peers() {
        forgetExpired();
        Map<String, Peer> byKey = new LinkedHashMap<>();
        for (Map<PeerSource, Sighting> by : discovered.values()) {
            Sighting latest = by.values().stream().max(Comparator.comparing(Sighting::at)).orElseThrow();
            URI url = latest.url();
            Set<PeerSource> sources = EnumSet.copyOf(by.keySet());
            if (manual.contains(url)) {
                sources.add(PeerSource.MANUAL);
            }
            Peer p = new Peer(key(url), url, latest.announcement().serverId(), latest.announcement().name(), sources,
                    latest.at(), latest.announcement());
            Peer other = byKey.get(p.key());
            if (other == null || other.lastSeen().isBefore(p.lastSeen())) {
                byKey.put(p.key(), p);
            }
        }
        for (URI url : manual) {
            byKey.putIfAbsent(key(url), new Peer(key(url), url, null, null, EnumSet.of(PeerSource.MANUAL), null, null));
        }
        List<Peer> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparing((Peer p) -> p.name() == null ? "\uffff" : p.name().toLowerCase())
                .thenComparing(p -> p.url().toString()));
        return out;
    }

    public Optional<Peer> peer(String key) {
        return peers().stream().filter(p -> p.key().equals(key)).findFirst();
    }

    /**
     * Adds a peer by what the admin typed ("10.0.0.2:8080", "http://school-b:8080/"), and
     * remembers it.
     *
     * @throws SyncException (BAD_REQUEST) when it is not a usable address, or there are too many
     */
    public Peer addManual(String address) {
        URI url = PeerUrl.parse(address);
        synchronized (this) {
            if (!manual.contains(url)) {
                if (manual.size() >= MAX_MANUAL) {
                    throw new SyncException(SyncException.Reason.BAD_REQUEST, "There are already " + MAX_MANUAL
                            + " peers added by address; remove one first");
                }
                manual.add(url);
                saveManual();
            }
        }
        return peer(key(url)).orElseThrow();
    }

    /** Forgets a peer added by address; false if no such peer was added by address. */
    public synchronized boolean removeManual(String key) {
        boolean removed = manual.removeIf(u -> key(u).equals(key));
        if (removed) {
            saveManual();
        }
        return removed;
    }

    private void forgetExpired() {
        Instant cutoff = clock.instant().minus(FORGET_AFTER);
        discovered.values().forEach(by -> by.values().removeIf(s -> s.at().isBefore(cutoff)));
        discovered.values().removeIf(Map::isEmpty);
    }

    private List<URI> loadManual() {
        List<URI> out = new ArrayList<>();
        String stored = library.setting(MANUAL_SETTING).orElse(null);
        if (stored == null) {
            return out;
        }
        try {
            JsonNode list = JSON.readTree(stored);
            for (JsonNode n : list) {
                try {
                    URI url = PeerUrl.parse(n.asText());
                    if (!out.contains(url)) {
                        out.add(url);
                    }
                } catch (SyncException e) {
                    LOG.warn("Discovery: a stored peer address is not usable and was skipped: {}", e.getMessage());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Discovery: the stored list of peers added by address cannot be read ({}); it is ignored",
                    e.getMessage());
        }
        return out;
    }

    private void saveManual() {
        try {
            library.putSetting(MANUAL_SETTING, JSON.writeValueAsString(manual.stream().map(URI::toString).toList()));
        } catch (IOException e) {
            throw new IllegalStateException("Writing JSON to memory cannot fail", e);
        }
    }
}
