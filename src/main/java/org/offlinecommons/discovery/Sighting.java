package org.offlinecommons.discovery;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;

/**
 * One peer heard once: what it announced, from which address, and how. The address is where the
 * packet came from (mDNS: the address record), never an address written inside the announcement,
 * so a forged announcement can at most point at the machine that sent it.
 */
public record Sighting(Announcement announcement, InetAddress address, PeerSource source, Instant at) {

    /** The peer's base URL for sync: scheme, the address it was heard from, its port. */
    public URI url() {
        String host = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
        }
        return URI.create(announcement.scheme() + "://" + host + ":" + announcement.port());
    }
}
