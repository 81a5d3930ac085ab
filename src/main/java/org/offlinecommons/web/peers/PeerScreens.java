package org.offlinecommons.web.peers;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.offlinecommons.discovery.DiscoveryReport;
import org.offlinecommons.discovery.PeerComparison;
import org.offlinecommons.discovery.PeerDirectory;
import org.offlinecommons.discovery.PeerStatus;
import org.offlinecommons.discovery.PeerSurvey;
import org.offlinecommons.sync.PeerPulls;
import org.offlinecommons.web.AdminViews;
import org.offlinecommons.web.Layout;
import org.offlinecommons.web.Messages;
import org.offlinecommons.web.PeerViews;
import org.offlinecommons.web.admin.AdminScreens;

/**
 * The peers page's view, built from what discovery and the pulls know and put into words: no
 * request in sight ({@link PeerRoutes} parses, calls and renders it).
 */
final class PeerScreens {

    private final PeerSurvey survey;
    private final PeerPulls pulls;
    private final Messages t;
    private final Layout base;
    private final String page;

    /** @param page the page's path, which its forms post under */
    PeerScreens(PeerSurvey survey, PeerPulls pulls, Messages messages, Layout base, String page) {
        this.survey = survey;
        this.pulls = pulls;
        this.t = messages;
        this.base = base;
        this.page = page;
    }

    /**
     * @param jobId   the pull whose progress to show, or null
     * @param address what the add form holds
     */
    PeerViews.Page page(String csrf, String notice, String error, String jobId, String address) {
        AdminViews.JobRow job = jobId == null ? null
                : pulls.job(jobId).map(s -> AdminScreens.jobRow(t, s)).orElse(null);
        List<PeerViews.PeerRow> rows = new ArrayList<>();
        for (PeerStatus s : survey.survey()) {
            rows.add(row(s));
        }
        Layout layout = base.titled(t.get("peers.title")).withAdminBar(new Layout.AdminBar("peers", csrf));
        return new PeerViews.Page(layout, csrf, notice, error, job, rows, discovery(survey.directory().report()),
                address);
    }

    /** What the last action did, from the query it redirected to; null when none. */
    String notice(String added, String token, boolean removed) {
        if (added != null && !added.isBlank()) {
            return t.format("peers.added", added.length() > 200 ? added.substring(0, 200) : added);
        }
        if (token != null) {
            return t.get(token.equals("saved") ? "peers.token.saved" : "peers.token.forgotten");
        }
        return removed ? t.get("peers.removed") : null;
    }

    static String address(URI url) {
        return url.getRawAuthority();
    }

    private PeerViews.PeerRow row(PeerStatus s) {
        PeerDirectory.Peer p = s.peer();
        String name = s.name() != null && !s.name().isBlank() ? s.name() : p.url().getHost();
        String sources = String.join(", ", p.sourceList().stream()
                .map(src -> t.get("peers.source." + src.label())).toList());
        String state = s.reachable() ? t.get("peers.reachable") : t.get("peers.unreachable");
        Sides sides = sides(s.comparison());
        return new PeerViews.PeerRow(name, address(p.url()), sources, lastSeen(s.lastSeen()), s.reachable(), state,
                s.problem(), sides.theyHave(), sides.theyHaveSummary(), sides.weHave(), sides.weHaveSummary(),
                page + "/" + p.key() + "/sync", sides.syncAll(), p.manual() ? page + "/" + p.key() + "/remove" : null,
                t.format("peers.remove", name), new PeerViews.Token(page + "/" + p.key() + "/token",
                        "token-" + p.key(), s.refused(), survey.tokens().has(p.url())));
    }

    /** What each side has that the other lacks, in words; all null and empty before the peer answered. */
    private record Sides(List<PeerViews.PackRow> theyHave, String theyHaveSummary, List<PeerViews.PackRow> weHave,
                         String weHaveSummary, String syncAll) {
    }

    private Sides sides(PeerComparison c) {
        if (c == null) {
            return new Sides(List.of(), null, List.of(), null, null);
        }
        List<PeerViews.PackRow> theyHave = new ArrayList<>();
        for (PeerComparison.PackDifference d : c.theyHave()) {
            theyHave.add(new PeerViews.PackRow(d.id(), d.title(), facts(d, true), t.format("peers.syncOne", d.title())));
        }
        List<PeerViews.PackRow> weHave = new ArrayList<>();
        for (PeerComparison.PackDifference d : c.weHave()) {
            weHave.add(new PeerViews.PackRow(d.id(), d.title(), facts(d, false), null));
        }
        return new Sides(theyHave, t.format("peers.theyHave.summary", c.theyHave().size(),
                t.size(c.theyHaveBytes())), weHave, t.format("peers.weHave.summary", c.weHave().size(),
                t.size(c.weHaveBytes())), c.theyHave().isEmpty() ? null
                : t.format("peers.syncAll", c.theyHave().size(), t.size(c.theyHaveBytes())));
    }

    private String facts(PeerComparison.PackDifference d, boolean theirs) {
        String versions = d.isUpdate()
                ? t.format("peers.pack.update", theirs ? d.versionHere() : d.versionThere(),
                        theirs ? d.versionThere() : d.versionHere())
                : t.format("peers.pack.version", theirs ? d.versionThere() : d.versionHere());
        return versions + " · " + t.size(d.size()) + " · " + d.language();
    }

    private String lastSeen(Instant when) {
        if (when == null) {
            return t.get("peers.lastSeen.never");
        }
        long seconds = Math.max(0, Duration.between(when, Instant.now()).toSeconds());
        return seconds < 90 ? t.format("peers.lastSeen.seconds", seconds)
                : seconds < 90 * 60 ? t.format("peers.lastSeen.minutes", (seconds + 30) / 60)
                : t.format("peers.lastSeen.hours", (seconds + 1800) / 3600);
    }

    private PeerViews.Discovery discovery(DiscoveryReport r) {
        List<String> lines = new ArrayList<>();
        if (!r.enabled()) {
            return new PeerViews.Discovery(t.get("peers.discovery.off"), lines);
        }
        if (r.interfaces().isEmpty()) {
            lines.add(t.get("peers.discovery.noInterfaces"));
        }
        for (DiscoveryReport.InterfaceStatus i : r.interfaces()) {
            String addresses = i.addresses().isEmpty() ? t.get("peers.discovery.noAddress")
                    : String.join(", ", i.addresses());
            lines.add(i.used()
                    ? t.format("peers.discovery.interfaceUsed", i.name(), addresses,
                            t.get(i.multicast() ? "peers.discovery.yes" : "peers.discovery.no"),
                            t.get(i.broadcast() ? "peers.discovery.yes" : "peers.discovery.no"))
                    : t.format("peers.discovery.interfaceUnused", i.name(), addresses, i.whyNot()));
        }
        lines.add(r.mdnsRunning() ? t.get("peers.discovery.mdnsOk")
                : t.format("peers.discovery.mdnsNo", r.mdnsProblem()));
        lines.add(r.broadcastRunning() ? t.format("peers.discovery.broadcastOk", Integer.toString(r.broadcastPort()))
                : t.format("peers.discovery.broadcastNo", r.broadcastProblem()));
        String summary = r.mdnsRunning() || r.broadcastRunning() ? t.get("peers.discovery.on")
                : t.get("peers.discovery.broken");
        return new PeerViews.Discovery(summary, lines);
    }
}
