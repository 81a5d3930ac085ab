package org.offlinecommons.discovery;

import java.util.Locale;

/** How we know of a peer. */
public enum PeerSource {
    /** Found by mDNS/DNS-SD. */
    MDNS,
    /** Heard in a UDP broadcast datagram (the fallback where multicast is filtered). */
    BROADCAST,
    /** Added by the admin, by address. */
    MANUAL;

    /** As the API and the CLI show it: "mdns", "broadcast", "manual". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
