package org.offlinecommons.discovery;

import java.time.Instant;

/**
 * A peer as the peers page and API show it.
 *
 * @param name       its name: as announced, else from its catalog, else null
 * @param lastSeen   when it was last heard from or answered, or null if never
 * @param problem    why it cannot be synced from (unreachable, another protocol, ourselves), or null
 * @param refused    it answered but would not share with us: it wants its sync token, or another one
 * @param comparison what each side has that the other lacks, or null when its catalog could not be read
 */
public record PeerStatus(PeerDirectory.Peer peer, String name, boolean reachable, Instant lastSeen, String problem,
                         boolean refused, PeerComparison comparison) {
}
