package org.offlinecommons.discovery;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mDNS/DNS-SD with JmDNS: registers this server as {@value #SERVICE_TYPE} with its
 * {@link Announcement} in the TXT record, and browses for the others. One JmDNS per interface
 * address, because one JmDNS only ever talks on one.
 */
public final class MdnsDiscovery implements AutoCloseable {

    public static final String SERVICE_TYPE = "_offline-commons._tcp.local.";
    /** A DNS label: the longest service instance name. */
    static final int MAX_INSTANCE_BYTES = 63;
    private static final Logger LOG = LoggerFactory.getLogger(MdnsDiscovery.class);

    /** One interface's JmDNS, and our service on it (null when only browsing). */
    private record Responder(LocalSubnet subnet, JmDNS jmdns, ServiceInfo service) {
    }

    private final List<Responder> responders = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final String ownId;
    private final Consumer<Sighting> seen;
    private final Consumer<String> gone;
    private final Clock clock;
    /** Which server id each service instance announced, to know who left when it says goodbye. */
    private final Map<String, String> idsByInstance = new ConcurrentHashMap<>();

    private MdnsDiscovery(String ownId, Consumer<Sighting> seen, Consumer<String> gone, Clock clock) {
        this.ownId = ownId;
        this.seen = seen;
        this.gone = gone;
        this.clock = clock;
    }

    /**
     * Starts on every subnet it can; those where JmDNS cannot start are listed in {@link #problems()}.
     *
     * @param ours     what to register, or null to only browse (the CLI)
     * @param seen     told of every peer resolved, ourselves excepted
     * @param gone     told the server id of a peer that said goodbye
     */
    public static MdnsDiscovery start(List<LocalSubnet> subnets, String hostName, Announcement ours, String ownId,
                                      Consumer<Sighting> seen, Consumer<String> gone, Clock clock) {
        MdnsDiscovery d = new MdnsDiscovery(ownId, seen, gone, clock);
        for (LocalSubnet subnet : subnets) {
            JmDNS jmdns;
            try {
                jmdns = JmDNS.create(subnet.address(), hostName);
            } catch (IOException | RuntimeException e) {
                d.problems.add(subnet.interfaceName() + ": " + e.getMessage());
                continue;
            }
            ServiceInfo service = null;
            try {
                if (ours != null) {
                    service = ServiceInfo.create(SERVICE_TYPE, instanceName(ours.name(), ownId), ours.port(), 0, 0,
                            txt(ours));
                    jmdns.registerService(service);
                }
                Responder r = new Responder(subnet, jmdns, service);
                jmdns.addServiceListener(SERVICE_TYPE, d.listener(r));
                synchronized (d.responders) {
                    d.responders.add(r);
                }
            } catch (IOException | RuntimeException e) {
                d.problems.add(subnet.interfaceName() + ": " + e.getMessage());
                closeQuietly(jmdns);
            }
        }
        return d;
    }

    public boolean running() {
        synchronized (responders) {
            return !responders.isEmpty();
        }
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Puts a new announcement in the TXT record; JmDNS sends it out at once. */
    public void update(Announcement a) {
        for (Responder r : responders()) {
            if (r.service() != null) {
                try {
                    r.service().setText(txt(a));
                } catch (RuntimeException e) {
                    LOG.debug("Discovery: updating the mDNS TXT record on {} failed: {}", r.subnet().interfaceName(),
                            e.toString());
                }
            }
        }
    }

    /** Reports again every peer the mDNS caches still hold, so that they stay "seen". */
    public void refresh() {
        for (Responder r : responders()) {
            try {
                for (ServiceInfo info : r.jmdns().list(SERVICE_TYPE, 200)) {
                    resolved(r, info);
                }
            } catch (RuntimeException e) {
                LOG.debug("Discovery: listing mDNS services on {} failed: {}", r.subnet().interfaceName(), e.toString());
            }
        }
    }

    /** The TXT record: the announcement's fields (docs/sync-protocol.md, "Discovery"). */
    static Map<String, String> txt(Announcement a) {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put("txtvers", "1");
        txt.put("id", a.serverId());
        txt.put("name", a.name());
        txt.put("proto", Integer.toString(a.protocol()));
        txt.put("scheme", a.scheme());
        txt.put("packs", Integer.toString(a.packCount()));
        txt.put("digest", a.catalogDigest());
        return txt;
    }

    /** The TXT record of a peer's service as an announcement; throws IllegalArgumentException if malformed. */
    static Announcement announcement(ServiceInfo info) {
        return new Announcement(info.getPropertyString("id"), orEmpty(info.getPropertyString("name")),
                number(info.getPropertyString("proto")), orEmpty(info.getPropertyString("scheme")), info.getPort(),
                number(info.getPropertyString("packs")), info.getPropertyString("digest"));
    }

    /**
     * The service instance's name: the server's name, cut to a DNS label. Two servers of the same
     * name are told apart by JmDNS (it adds a number) and by the id in the TXT record.
     */
    static String instanceName(String name, String serverId) {
        String clean = name == null || name.isBlank() ? "Offline Commons " + serverId : name;
        clean = clean.replace('.', ' ').strip();
        while (clean.getBytes(StandardCharsets.UTF_8).length > MAX_INSTANCE_BYTES) {
            clean = clean.substring(0, clean.offsetByCodePoints(clean.length(), -1));
        }
        return clean;
    }

    private ServiceListener listener(Responder r) {
        return new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent event) {
                // Resolving (SRV, TXT, address) is asked for here and answered in serviceResolved.
                r.jmdns().requestServiceInfo(event.getType(), event.getName(), 1);
            }

            @Override
            public void serviceRemoved(ServiceEvent event) {
                String id = idsByInstance.remove(instanceKey(r, event.getName()));
                if (id != null) {
                    gone.accept(id);
                }
            }

            @Override
            public void serviceResolved(ServiceEvent event) {
                resolved(r, event.getInfo());
            }
        };
    }

    private void resolved(Responder r, ServiceInfo info) {
        if (info == null) {
            return;
        }
        Announcement a;
        try {
            a = announcement(info);
        } catch (IllegalArgumentException e) {
            LOG.debug("Discovery: ignored the mDNS service '{}': {}", info.getName(), e.getMessage());
            return;
        }
        if (a.serverId().equals(ownId)) {
            return;
        }
        Inet4Address address = null;
        for (Inet4Address candidate : info.getInet4Addresses()) {
            if (address == null || r.subnet().contains(candidate) && !r.subnet().contains(address)) {
                address = candidate;
            }
        }
        if (address == null) {
            return;
        }
        idsByInstance.put(instanceKey(r, info.getName()), a.serverId());
        seen.accept(new Sighting(a, address, PeerSource.MDNS, clock.instant()));
    }

    private static String instanceKey(Responder r, String name) {
        return r.subnet().interfaceName() + "/" + name;
    }

    private List<Responder> responders() {
        synchronized (responders) {
            return List.copyOf(responders);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static int number(String s) {
        if (s == null || s.isEmpty() || s.length() > 9 || !s.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("a TXT number is missing or malformed: " + s);
        }
        return Integer.parseInt(s);
    }

    private static void closeQuietly(JmDNS jmdns) {
        try {
            jmdns.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Discovery: closing mDNS failed: {}", e.toString());
        }
    }

    /** Says goodbye on every interface (unregisters the service), in parallel: each takes a moment. */
    @Override
    public void close() {
        List<Thread> closing = new ArrayList<>();
        for (Responder r : responders()) {
            // close() sends the goodbye for our service (unregisters it) before it returns.
            Thread t = new Thread(() -> closeQuietly(r.jmdns()), "discovery-mdns-close");
            t.setDaemon(true);
            t.start();
            closing.add(t);
        }
        synchronized (responders) {
            responders.clear();
        }
        for (Thread t : closing) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
