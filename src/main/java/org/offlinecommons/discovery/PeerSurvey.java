package org.offlinecommons.discovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.sync.PeerCatalog;
import org.offlinecommons.sync.SyncTree;

/** Every known peer with its state and what it has that we lack (and the reverse): the peers page's data. */
public final class PeerSurvey {

    private final Library library;
    private final PeerDirectory directory;
    private final PeerCatalogs catalogs;
    private final PeerTokens tokens;

    public PeerSurvey(Library library, PeerDirectory directory, PeerCatalogs catalogs, PeerTokens tokens) {
        this.library = library;
        this.directory = directory;
        this.catalogs = catalogs;
        this.tokens = tokens;
    }

    public PeerDirectory directory() {
        return directory;
    }

    public PeerCatalogs catalogs() {
        return catalogs;
    }

    /** The sync tokens the admin gave for peers that ask for one; the catalogs above send them. */
    public PeerTokens tokens() {
        return tokens;
    }

    public List<PeerStatus> survey() {
        return statuses(directory.peers());
    }

    public Optional<PeerStatus> one(String key) {
        return directory.peer(key).map(p -> statuses(List.of(p)).get(0));
    }

    private List<PeerStatus> statuses(List<PeerDirectory.Peer> peers) {
        List<PeerDirectory.Peer> askable = peers.stream()
                .filter(p -> p.announcement() == null || p.announcement().speaksOurProtocol()).toList();
        Map<String, PeerCatalogs.Lookup> lookups = catalogs.lookup(askable);
        List<PackRecord> ours = library.catalog().packs();
        List<PeerStatus> out = new ArrayList<>();
        for (PeerDirectory.Peer p : peers) {
            PeerCatalogs.Lookup l = lookups.get(p.key());
            if (l == null) {
                out.add(new PeerStatus(p, p.name(), false, p.lastSeen(), p.url() + " speaks sync protocol version "
                        + p.announcement().protocol() + "; this server speaks version " + SyncTree.FORMAT, false, null));
                continue;
            }
            PeerCatalog catalog = l.catalog();
            String name = p.name() != null ? p.name() : catalog == null ? null : catalog.server().name();
            Instant lastSeen = latest(p.lastSeen(), l.lastSuccess());
            if (catalog == null) {
                out.add(new PeerStatus(p, name, false, lastSeen, l.problem(), l.refused(), null));
            } else if (catalog.server().id().equals(directory.ownId())) {
                out.add(new PeerStatus(p, name, true, lastSeen, p.url() + " is this server itself", false, null));
            } else {
                out.add(new PeerStatus(p, name, true, lastSeen, null, false, PeerComparison.of(ours, catalog)));
            }
        }
        return out;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
