package org.offlinecommons.sync;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A peer's base URL: the folder that holds {@code sync/v1/}. A live server's base is its root
 * ({@code http://host:8080}); a mirror's is the folder it was written to, wherever a web server
 * publishes it ({@code http://host/usb-stick}).
 */
public final class PeerUrl {

    private PeerUrl() {
    }

    /**
     * Checks and normalises what a person typed: adds {@code http://} when no scheme is given,
     * drops trailing slashes, and accepts a pasted tree or catalog URL for its base.
     */
    public static URI parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.isEmpty()) {
            throw bad("the peer URL is empty");
        }
        if (!s.contains("://")) {
            s = "http://" + s;
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw bad("'" + text + "' is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw bad("'" + text + "': a peer URL starts with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw bad("'" + text + "' names no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw bad("'" + text + "': a peer URL cannot hold a user name or password");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad("'" + text + "': a peer URL cannot have a query (?) or fragment (#)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        for (String suffix : new String[] {"/" + SyncTree.CATALOG, "/" + SyncTree.ROOT, "/" + SyncTree.ROOT + "/"}) {
            if (path.endsWith(suffix)) {
                path = path.substring(0, path.length() - suffix.length());
            }
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    /** The URL of a file of the tree, e.g. {@code SyncTree.CATALOG}, under a parsed base. */
    public static URI resolve(URI base, String treePath) {
        return URI.create(base.toString() + "/" + treePath);
    }

    private static SyncException bad(String message) {
        return new SyncException(SyncException.Reason.BAD_REQUEST, message);
    }

    /**
     * Our own base URL as {@code peer} can reach it: the address of the interface that routes
     * to the peer (no packet is sent to find it) and the port we serve on.
     */
    public static URI ourBaseFacing(URI peer, int ourPort) {
        int peerPort = peer.getPort() > 0 ? peer.getPort() : "https".equals(peer.getScheme()) ? 443 : 80;
        InetAddress local;
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(InetAddress.getByName(peer.getHost()), peerPort));
            local = probe.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                local = InetAddress.getLocalHost();
            }
        } catch (IOException | RuntimeException e) {
            throw new SyncException(SyncException.Reason.UNREACHABLE, "Cannot work out this machine's address"
                    + " as " + peer.getHost() + " sees it (" + e.getMessage() + ")", e);
        }
        String host = local.getHostAddress();
        if (local instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
        }
        return URI.create("http://" + host + ":" + ourPort);
    }
}
