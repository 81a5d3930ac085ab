package org.offlinecommons.discovery;

import java.util.ArrayList;
import java.util.List;

/**
 * How discovery is doing, to explain an empty list of peers: which interfaces were tried,
 * whether mDNS (multicast) and the broadcast fallback could start, and why not.
 *
 * @param enabled            false with --no-discovery
 * @param requestedInterface the --discovery-interface name, or null for every suitable interface
 * @param mdnsProblem        why mDNS is not running, or null when it is
 * @param broadcastProblem   why the broadcast fallback is not running, or null when it is
 */
public record DiscoveryReport(boolean enabled, String requestedInterface, List<InterfaceStatus> interfaces,
                              boolean mdnsRunning, String mdnsProblem, boolean broadcastRunning,
                              String broadcastProblem, int broadcastPort) {

    /**
     * One network interface as discovery saw it.
     *
     * @param used    whether discovery announces and listens on it
     * @param whyNot  why it is not used, or null
     */
    public record InterfaceStatus(String name, List<String> addresses, boolean up, boolean multicast,
                                  boolean broadcast, boolean used, String whyNot) {
        public InterfaceStatus {
            addresses = List.copyOf(addresses);
        }
    }

    public DiscoveryReport {
        interfaces = List.copyOf(interfaces);
    }

    /** With --no-discovery. */
    public static DiscoveryReport off() {
        return new DiscoveryReport(false, null, List.of(), false, "discovery is switched off (--no-discovery)", false,
                "discovery is switched off (--no-discovery)", BroadcastDiscovery.PORT);
    }

    /** Whether mDNS runs on at least one interface that supports multicast. */
    public boolean multicastUsable() {
        return mdnsRunning && interfaces.stream().anyMatch(i -> i.used() && i.multicast());
    }

    public List<InterfaceStatus> used() {
        return interfaces.stream().filter(InterfaceStatus::used).toList();
    }

    /** Why no peer may have been found, in plain English: for the CLI and the log. */
    public List<String> explanation() {
        List<String> lines = new ArrayList<>();
        if (!enabled) {
            lines.add("Discovery is switched off (--no-discovery): this server neither announces itself nor looks"
                    + " for others.");
        } else {
            if (interfaces.isEmpty()) {
                lines.add("No network interface was found besides loopback" + (requestedInterface == null ? ""
                        : " (asked for " + requestedInterface + ")") + ".");
            }
            for (InterfaceStatus i : interfaces) {
                String addresses = i.addresses().isEmpty() ? "no IPv4 address" : String.join(", ", i.addresses());
                lines.add("Interface " + i.name() + " (" + addresses + "): " + (i.used()
                        ? "tried; multicast " + (i.multicast() ? "supported" : "not supported") + ", broadcast "
                        + (i.broadcast() ? "supported" : "not supported")
                        : "not used, " + i.whyNot()) + ".");
            }
            lines.add(mdnsRunning ? "mDNS (multicast) is running: peers on the same network answer within seconds,"
                    + " unless the network filters multicast."
                    : "mDNS (multicast) could not be used: " + mdnsProblem + ".");
            lines.add(broadcastRunning ? "The UDP broadcast fallback listens on port " + broadcastPort + "."
                    : "The UDP broadcast fallback could not be used: " + broadcastProblem + ".");
        }
        lines.add("A server that is not found can be added by its address on the admin's Peers page"
                + " (/admin/peers), or synced with: offline-commons sync http://ADDRESS:8080");
        return lines;
    }
}
