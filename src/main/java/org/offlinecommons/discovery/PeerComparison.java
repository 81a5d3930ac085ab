package org.offlinecommons.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.sync.PeerCatalog;

/**
 * What a peer has that this library lacks (missing here, or newer there), and the reverse:
 * what a sync from it would bring, and what it could pull from us.
 */
public record PeerComparison(List<PackDifference> theyHave, List<PackDifference> weHave) {

    /**
     * One pack on one side only, or newer there.
     *
     * @param versionHere  the version installed here, or null
     * @param versionThere the peer's version, or null when it lacks the pack
     * @param size         the pack's size on the side that has it (the newer one)
     */
    public record PackDifference(String id, String title, String language, Long versionHere, Long versionThere,
                                 long size) {
        /** Both sides have the pack, one in an older version. */
        public boolean isUpdate() {
            return versionHere != null && versionThere != null;
        }
    }

    public PeerComparison {
        theyHave = List.copyOf(theyHave);
        weHave = List.copyOf(weHave);
    }

    public static PeerComparison of(List<PackRecord> ours, PeerCatalog theirs) {
        Map<String, PackRecord> here = new HashMap<>();
        ours.forEach(p -> here.put(p.id(), p));
        Map<String, PeerCatalog.Entry> there = new HashMap<>();
        theirs.packs().forEach(e -> there.put(e.id(), e));
        List<PackDifference> theyHave = new ArrayList<>();
        for (PeerCatalog.Entry e : theirs.packs()) {
            PackRecord mine = here.get(e.id());
            if (mine == null || mine.version() < e.version()) {
                theyHave.add(new PackDifference(e.id(), e.title(), e.language(), mine == null ? null : mine.version(),
                        e.version(), e.size()));
            }
        }
        List<PackDifference> weHave = new ArrayList<>();
        for (PackRecord p : ours) {
            PeerCatalog.Entry theirsOf = there.get(p.id());
            if (theirsOf == null || theirsOf.version() < p.version()) {
                weHave.add(new PackDifference(p.id(), p.title(), p.language(), p.version(),
                        theirsOf == null ? null : theirsOf.version(), p.totalSize()));
            }
        }
        Comparator<PackDifference> byTitle = Comparator.comparing((PackDifference d) -> d.title().toLowerCase())
                .thenComparing(PackDifference::id);
        theyHave.sort(byTitle);
        weHave.sort(byTitle);
        return new PeerComparison(theyHave, weHave);
    }

    public long theyHaveBytes() {
        return theyHave.stream().mapToLong(PackDifference::size).sum();
    }

    public long weHaveBytes() {
        return weHave.stream().mapToLong(PackDifference::size).sum();
    }
}
