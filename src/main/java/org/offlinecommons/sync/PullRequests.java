package org.offlinecommons.sync;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.offlinecommons.store.Library;

/**
 * The rules for a peer asking this server to pull from it ({@code --both} on the peer's side).
 * Off unless the admin turned it on. When on, the server only ever pulls (reads) from the URL
 * given, and only from the machine that asked: a request naming any other host is refused, so
 * this server cannot be sent to fetch from, or probe, a third machine.
 */
public final class PullRequests {

    /** Library setting: "true" when this server takes pull requests. */
    public static final String ACCEPT_SETTING = "sync.accept-pull-requests";

    private PullRequests() {
    }

    public static boolean accepted(Library library) {
        return library.setting(ACCEPT_SETTING).map("true"::equals).orElse(false);
    }

    public static void accept(Library library, boolean on) {
        // Unchanged is not written: a library open read-only (full disk) must still start serving.
        if (accepted(library) != on || library.setting(ACCEPT_SETTING).isEmpty()) {
            library.putSetting(ACCEPT_SETTING, Boolean.toString(on));
        }
    }

    /**
     * Checks a pull request that came from {@code from} and returns the base URL to pull from.
     *
     * @throws SyncException REFUSED when switched off or when the URL names another machine,
     *                       BAD_REQUEST when the URL is malformed
     */
    public static URI check(Library library, String url, InetAddress from) {
        if (!accepted(library)) {
            throw new SyncException(SyncException.Reason.REFUSED, "This server does not accept sync requests;"
                    + " its admin can allow them with 'offline-commons serve --accept-sync-requests'");
        }
        URI base = PeerUrl.parse(url);
        InetAddress[] named;
        try {
            named = InetAddress.getAllByName(base.getHost());
        } catch (UnknownHostException e) {
            throw new SyncException(SyncException.Reason.BAD_REQUEST, "'" + base.getHost() + "' is not a known host");
        }
        for (InetAddress a : named) {
            if (a.equals(from) || (a.isLoopbackAddress() && from.isLoopbackAddress())) {
                return base;
            }
        }
        throw new SyncException(SyncException.Reason.REFUSED, "A pull request must name the server that sends it:"
                + " it came from " + from.getHostAddress() + " but names " + base.getHost());
    }
}
