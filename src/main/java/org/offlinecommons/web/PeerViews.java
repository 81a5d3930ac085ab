package org.offlinecommons.web;

import java.util.List;

/** The peers page's views: everything already in words, so the template only lays it out. */
public final class PeerViews {

    private PeerViews() {
    }

    /**
     * @param notice     what the last action did, or null
     * @param error      why the last action failed, or null
     * @param job        the sync started from this page, with its progress, or null
     * @param address    what the add form holds (kept after a refused address)
     */
    public record Page(Layout layout, String csrf, String notice, String error, AdminViews.JobRow job,
                       List<PeerRow> peers, Discovery discovery, String address) {
    }

    /**
     * One peer.
     *
     * @param state        "reachable" or why not, in words
     * @param problem      why it cannot be synced from, or null
     * @param syncAll      the label of the "sync everything" button, or null when there is nothing to pull
     * @param removeAction the form that forgets it, or null when it was not added by address
     */
    public record PeerRow(String name, String address, String sources, String lastSeen, boolean reachable,
                          String state, String problem, List<PackRow> theyHave, String theyHaveSummary,
                          List<PackRow> weHave, String weHaveSummary, String syncAction, String syncAll,
                          String removeAction, String removeLabel, Token token) {
    }

    /**
     * The peer's sync token, for servers that share only with those who know it.
     *
     * @param ask   it refused us: the form is shown open, with why
     * @param saved a token is kept for it (never shown again)
     */
    public record Token(String action, String inputId, boolean ask, boolean saved) {
    }

    /** A pack one side lacks; {@code facts}: version(s), size, language. */
    public record PackRow(String id, String title, String facts, String syncLabel) {
    }

    /**
     * How discovery is doing, to explain an empty list.
     *
     * @param lines each interface tried, whether multicast and broadcast could be used
     */
    public record Discovery(String summary, List<String> lines) {
    }
}
