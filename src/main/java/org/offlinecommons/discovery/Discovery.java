package org.offlinecommons.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.offlinecommons.store.DaemonThreads;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.sync.LibraryTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this server findable on the LAN and finds the others: mDNS/DNS-SD where multicast
 * works, UDP broadcast where it is filtered; what is heard goes into the {@link PeerDirectory}.
 * When discovery cannot work (no network, port taken, multicast refused) it says so once in
 * the log and in the directory's report, and the server serves on regardless.
 */
public final class Discovery implements AutoCloseable {

    /** How often the catalog is checked for changes made outside this process's jobs (a delete, another process). */
    static final Duration CATALOG_CHECK = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

    /**
     * @param enabled       false for --no-discovery: nothing is sent or listened to
     * @param interfaceName --discovery-interface, or null for every suitable interface
     * @param bindAddress   the HTTP server's --bind: a loopback address means peers cannot reach us
     */
    public record Settings(boolean enabled, String interfaceName, String bindAddress, int broadcastPort) {
        public Settings(boolean enabled, String interfaceName, String bindAddress) {
            this(enabled, interfaceName, bindAddress, BroadcastDiscovery.PORT);
        }
    }

    /** What a short browse found (the CLI's {@code peers}). */
    public record Browse(List<Sighting> peers, DiscoveryReport report) {
    }

    private final Library library;
    private final LibraryTree tree;
    private final PeerDirectory directory;
    private final Settings settings;
    private final int httpPort;
    private final String scheme;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private volatile Announcement current;
    /** The library's generation the current announcement was checked at; only the timer's thread uses it. */
    private long checkedGeneration = -1;
    private MdnsDiscovery mdns;
    private BroadcastDiscovery broadcast;

    private Discovery(Library library, PeerDirectory directory, Settings settings, int httpPort, String scheme,
                      Clock clock) {
        this.library = library;
        this.tree = new LibraryTree(library);
        this.directory = directory;
        this.settings = settings;
        this.httpPort = httpPort;
        this.scheme = scheme;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("discovery"));
    }

    /**
     * Starts announcing the server at {@code scheme://this-machine:httpPort} and listening for
     * peers. Returns at once: sockets are opened on discovery's own thread.
     */
    public static Discovery start(Library library, PeerDirectory directory, Settings settings, int httpPort,
                                  String scheme) {
        Discovery d = new Discovery(library, directory, settings, httpPort, scheme, Clock.systemUTC());
        if (!settings.enabled()) {
            directory.report(DiscoveryReport.off());
            LOG.info("Discovery is off (--no-discovery): this server is not announced; peers can be added by address");
            return d;
        }
        d.timer.execute(d::begin);
        return d;
    }

    /** The catalog may have changed (a job finished): announce the new digest if it did. */
    public void catalogChanged() {
        if (settings.enabled() && !timer.isShutdown()) {
            try {
                timer.execute(this::checkCatalog);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Closing.
            }
        }
    }

    private void begin() {
        DiscoveryInterfaces.Choice choice = choose();
        if (choice.subnets().isEmpty()) {
            String problem = choice.problem();
            directory.report(new DiscoveryReport(true, settings.interfaceName(), choice.looked(), false, problem, false,
                    problem, settings.broadcastPort()));
            LOG.warn("Discovery cannot work: {}. This server is not announced and finds no peers; it serves on, and"
                    + " peers can be added by address on /admin/peers.", problem);
            return;
        }
        current = announcement();
        String broadcastProblem = null;
        try {
            broadcast = BroadcastDiscovery.open(settings.broadcastPort(), settings.broadcastPort(), choice.subnets(),
                    directory.ownId(), () -> current, directory::seen, clock);
        } catch (IOException e) {
            broadcastProblem = "UDP port " + settings.broadcastPort() + " cannot be opened (" + e.getMessage()
                    + "; another program may hold it)";
        }
        List<LocalSubnet> multicastSubnets = multicastSubnets(choice);
        String mdnsProblem = null;
        if (multicastSubnets.isEmpty()) {
            mdnsProblem = "no interface discovery uses supports multicast";
        } else {
            mdns = MdnsDiscovery.start(multicastSubnets, hostName(directory.ownId()), current, directory.ownId(),
                    directory::seen, id -> directory.gone(PeerSource.MDNS, id), clock);
            if (!mdns.running()) {
                mdnsProblem = "mDNS could not start (" + String.join("; ", mdns.problems()) + ")";
            } else if (!mdns.problems().isEmpty()) {
                LOG.warn("Discovery: mDNS could not start on {}", String.join("; ", mdns.problems()));
            }
        }
        directory.report(new DiscoveryReport(true, settings.interfaceName(), choice.looked(), mdnsProblem == null,
                mdnsProblem, broadcastProblem == null, broadcastProblem, settings.broadcastPort()));
        String where = choice.subnets().stream().map(s -> s.interfaceName() + " (" + s + ")")
                .collect(Collectors.joining(", "));
        if (mdnsProblem == null && broadcastProblem == null) {
            LOG.info("Discovery: announcing this server on {} by mDNS ({}) and UDP broadcast (port {})", where,
                    MdnsDiscovery.SERVICE_TYPE, settings.broadcastPort());
        } else {
            LOG.warn("Discovery on {}: {}{}. The server serves on; peers can be added by address.", where,
                    mdnsProblem == null ? "mDNS works" : mdnsProblem,
                    broadcastProblem == null ? ", the broadcast fallback works" : "; " + broadcastProblem);
        }
        if (broadcast != null) {
            broadcast.announce();
            broadcast.query();
        }
        long interval = BroadcastDiscovery.INTERVAL.toMillis();
        timer.scheduleAtFixedRate(this::periodic, interval, interval, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::checkCatalog, CATALOG_CHECK.toMillis(), CATALOG_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private DiscoveryInterfaces.Choice choose() {
        String bind = settings.bindAddress();
        InetAddress bound = null;
        if (bind != null && !bind.isBlank()) {
            try {
                bound = InetAddress.getByName(bind);
            } catch (UnknownHostException e) {
                bound = null;
            }
        }
        DiscoveryInterfaces.Choice choice = DiscoveryInterfaces.choose(settings.interfaceName());
        if (bound == null || bound.isAnyLocalAddress()) {
            return choice;
        }
        if (bound.isLoopbackAddress()) {
            return new DiscoveryInterfaces.Choice(List.of(), choice.looked(), "the server listens on " + bind
                    + " only (--bind), which other machines cannot reach");
        }
        InetAddress only = bound;
        List<LocalSubnet> kept = choice.subnets().stream().filter(s -> s.address().equals(only)).toList();
        return new DiscoveryInterfaces.Choice(kept, choice.looked(), kept.isEmpty()
                ? "the server listens on " + bind + " only (--bind), and no interface discovery may use has that address"
                : null);
    }

    private static List<LocalSubnet> multicastSubnets(DiscoveryInterfaces.Choice choice) {
        List<String> multicast = choice.looked().stream().filter(i -> i.used() && i.multicast())
                .map(DiscoveryReport.InterfaceStatus::name).toList();
        return choice.subnets().stream().filter(s -> multicast.contains(s.interfaceName())).toList();
    }

    private void periodic() {
        try {
            if (broadcast != null) {
                broadcast.announce();
            }
            if (mdns != null) {
                mdns.refresh();
            }
        } catch (RuntimeException e) {
            LOG.debug("Discovery: the periodic announcement failed: {}", e.toString());
        }
    }

    private void checkCatalog() {
        if (current == null) {
            return;
        }
        try {
            // Build catalog.json again only when something was committed.
            long generation = library.generation();
            if (generation == checkedGeneration) {
                return;
            }
            Announcement a = announcement();
            checkedGeneration = generation;
            if (!a.equals(current)) {
                current = a;
                if (mdns != null) {
                    mdns.update(a);
                }
                if (broadcast != null) {
                    broadcast.announce();
                }
            }
        } catch (RuntimeException e) {
            // The library may be closing; the next check tries again.
            LOG.debug("Discovery: checking the catalog failed: {}", e.toString());
        }
    }

    private Announcement announcement() {
        List<PackRecord> packs = library.catalog().packs();
        byte[] catalog = tree.catalog(packs);
        var identity = tree.identity();
        return Announcement.of(identity.id(), identity.name(), scheme, httpPort, packs.size(),
                Hashes.sha256Hex(catalog));
    }

    /** The mDNS host name: unique per server, so two servers on one network do not have to argue over it. */
    static String hostName(String serverId) {
        String clean = serverId.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return "offline-commons-" + (clean.length() > 12 ? clean.substring(0, 12) : clean);
    }

    /**
     * Listens for {@code wait} without announcing anything: mDNS browsing, and a broadcast query
     * that servers answer straight back.
     */
    public static Browse browse(String interfaceName, Duration wait) throws InterruptedException {
        return browse(interfaceName, wait, BroadcastDiscovery.PORT);
    }

    static Browse browse(String interfaceName, Duration wait, int broadcastPort) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String ownId = "browser-" + HexFormat.of().formatHex(random);
        DiscoveryInterfaces.Choice choice = DiscoveryInterfaces.choose(interfaceName);
        Map<String, Sighting> found = new LinkedHashMap<>();
        java.util.function.Consumer<Sighting> seen = s -> {
            synchronized (found) {
                found.put(s.announcement().serverId() + " " + s.source(), s);
            }
        };
        if (choice.subnets().isEmpty()) {
            return new Browse(List.of(), new DiscoveryReport(true, interfaceName, choice.looked(), false,
                    choice.problem(), false, choice.problem(), broadcastPort));
        }
        String broadcastProblem = null;
        BroadcastDiscovery broadcast = null;
        try {
            broadcast = BroadcastDiscovery.open(0, broadcastPort, choice.subnets(), ownId, null, seen, clock);
        } catch (IOException e) {
            broadcastProblem = "a UDP socket cannot be opened (" + e.getMessage() + ")";
        }
        List<LocalSubnet> multicastSubnets = multicastSubnets(choice);
        MdnsDiscovery mdns = null;
        String mdnsProblem = null;
        if (multicastSubnets.isEmpty()) {
            mdnsProblem = "no interface discovery uses supports multicast";
        } else {
            mdns = MdnsDiscovery.start(multicastSubnets, hostName(ownId), null, ownId, seen, id -> { }, clock);
            if (!mdns.running()) {
                mdnsProblem = "mDNS could not start (" + String.join("; ", mdns.problems()) + ")";
            }
        }
        try {
            if (broadcast != null) {
                broadcast.query();
            }
            Thread.sleep(wait.toMillis());
            if (mdns != null) {
                mdns.refresh();
            }
        } finally {
            if (broadcast != null) {
                broadcast.close();
            }
            if (mdns != null) {
                mdns.close();
            }
        }
        List<Sighting> peers;
        synchronized (found) {
            peers = new ArrayList<>(found.values());
        }
        return new Browse(peers, new DiscoveryReport(true, interfaceName, choice.looked(), mdnsProblem == null,
                mdnsProblem, broadcastProblem == null, broadcastProblem, broadcastPort));
    }

    /** Withdraws the mDNS service (a goodbye) and stops listening. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (broadcast != null) {
            broadcast.close();
        }
        if (mdns != null) {
            mdns.close();
        }
    }
}
