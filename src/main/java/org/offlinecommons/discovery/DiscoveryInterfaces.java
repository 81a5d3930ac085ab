package org.offlinecommons.discovery;

import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Picks the interfaces discovery works on: every IPv4 interface that is up, or the one asked for. */
public final class DiscoveryInterfaces {

    /** The interfaces used, and every interface that was looked at, for the report. */
    public record Choice(List<LocalSubnet> subnets, List<DiscoveryReport.InterfaceStatus> looked, String problem) {
        public Choice {
            subnets = List.copyOf(subnets);
            looked = List.copyOf(looked);
        }
    }

    private DiscoveryInterfaces() {
    }

    /** @param requested an interface name (--discovery-interface), or null for all suitable ones */
    public static Choice choose(String requested) {
        List<NetworkInterface> all;
        try {
            all = Collections.list(NetworkInterface.getNetworkInterfaces());
        } catch (SocketException | RuntimeException e) {
            return new Choice(List.of(), List.of(), "the network interfaces cannot be listed (" + e.getMessage() + ")");
        }
        List<LocalSubnet> subnets = new ArrayList<>();
        List<DiscoveryReport.InterfaceStatus> looked = new ArrayList<>();
        boolean requestedExists = false;
        for (NetworkInterface ni : all) {
            boolean up;
            boolean loopback;
            boolean multicast;
            boolean p2p;
            try {
                up = ni.isUp();
                loopback = ni.isLoopback();
                multicast = ni.supportsMulticast();
                p2p = ni.isPointToPoint();
            } catch (SocketException e) {
                continue; // vanished while we looked
            }
            boolean named = ni.getName().equals(requested);
            requestedExists |= named;
            if (loopback && !named) {
                continue;
            }
            List<LocalSubnet> own = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (InterfaceAddress a : ni.getInterfaceAddresses()) {
                LocalSubnet.of(ni.getName(), a).ifPresent(s -> {
                    own.add(s);
                    addresses.add(s.toString());
                });
            }
            String whyNot = null;
            if (requested != null && !named) {
                whyNot = "only " + requested + " was asked for (--discovery-interface)";
            } else if (!up) {
                whyNot = "it is down";
            } else if (own.isEmpty()) {
                whyNot = "it has no IPv4 address";
            }
            boolean broadcast = !p2p && !loopback;
            looked.add(new DiscoveryReport.InterfaceStatus(ni.getName(), addresses, up, multicast, broadcast,
                    whyNot == null, whyNot));
            if (whyNot == null) {
                subnets.addAll(own);
            }
        }
        String problem = null;
        if (requested != null && !requestedExists) {
            problem = "there is no network interface named '" + requested + "'; this machine has: "
                    + String.join(", ", all.stream().map(NetworkInterface::getName).toList());
        } else if (subnets.isEmpty()) {
            problem = "no network interface with an IPv4 address is up" + (requested == null ? " (besides loopback)"
                    : " among the one asked for (" + requested + ")");
        }
        return new Choice(subnets, looked, problem);
    }
}
