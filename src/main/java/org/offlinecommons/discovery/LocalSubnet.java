package org.offlinecommons.discovery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 address of one of this machine's interfaces, with its subnet: where discovery
 * announces, and the only sources it listens to.
 *
 * @param broadcast the interface's broadcast address, or null when it has none configured
 */
public record LocalSubnet(String interfaceName, Inet4Address address, int prefixLength, Inet4Address broadcast) {

    public LocalSubnet {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength);
        }
    }

    static Optional<LocalSubnet> of(String interfaceName, InterfaceAddress a) {
        if (!(a.getAddress() instanceof Inet4Address v4)) {
            return Optional.empty();
        }
        Inet4Address broadcast = a.getBroadcast() instanceof Inet4Address b && !b.isAnyLocalAddress() ? b : null;
        return Optional.of(new LocalSubnet(interfaceName, v4, a.getNetworkPrefixLength(), broadcast));
    }

    public boolean contains(InetAddress other) {
        if (!(other instanceof Inet4Address)) {
            return false;
        }
        int mask = mask();
        return (toInt(other) & mask) == (toInt(address) & mask);
    }

    /** Where a broadcast for this subnet goes: its configured broadcast address, else the subnet's last one. */
    public Inet4Address broadcastAddress() {
        if (broadcast != null) {
            return broadcast;
        }
        int all = toInt(address) | ~mask();
        byte[] b = {(byte) (all >>> 24), (byte) (all >>> 16), (byte) (all >>> 8), (byte) all};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }

    private int mask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static int toInt(InetAddress a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
