package org.offlinecommons.web.peers;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.offlinecommons.discovery.DiscoveryReport;
import org.offlinecommons.discovery.PeerComparison;
import org.offlinecommons.discovery.PeerDirectory;
import org.offlinecommons.discovery.PeerSource;
import org.offlinecommons.discovery.PeerStatus;
import org.offlinecommons.discovery.PeerSurvey;
import org.offlinecommons.job.Job;
import org.offlinecommons.job.JobStatus;
import org.offlinecommons.sync.PeerPulls;
import org.offlinecommons.sync.SyncException;
import org.offlinecommons.web.AdminViews;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.Layout;
import org.offlinecommons.web.Messages;
import org.offlinecommons.web.PeerViews;
import org.offlinecommons.web.Templates;
import org.offlinecommons.web.admin.AdminRoutes;
import org.offlinecommons.web.http.AdminGate;
import org.offlinecommons.web.http.ErrorMapping;
import org.offlinecommons.web.http.JsonBody;
import org.offlinecommons.web.reading.PageRoutes;

/**
 * Peers found on the LAN or added by address, what they have that we lack, and syncing from
 * them: JSON under {@code /api/v1/peers}, and the admin page {@code /admin/peers} (plain forms,
 * no JavaScript). All of it is the admin's: {@link AdminGate} checks every request first.
 */
public final class PeerRoutes {

    public static final String API = "/api/v1/peers";
    public static final String PAGE = "/admin/peers";
    private static final int REFRESH_SECONDS = 2;

    private final PeerSurvey survey;
    private final PeerPulls pulls;
    private final AdminGate gate;
    private final Messages t;
    private final Layout base;
    private final Templates templates;

    public PeerRoutes(PeerSurvey survey, PeerPulls pulls, AdminGate gate, Messages messages, Layout base,
               Templates templates) {
        this.survey = survey;
        this.pulls = pulls;
        this.gate = gate;
        this.t = messages;
        this.base = base;
        this.templates = templates;
    }

    public void register(JavalinConfig config) {
        config.routes.get(API, this::listApi);
        config.routes.post(API, this::addApi);
        config.routes.delete(API + "/{key}", this::removeApi);
        config.routes.post(API + "/{key}/sync", this::syncApi);
        config.routes.put(API + "/{key}/token", this::tokenApi);
        config.routes.get(PAGE, this::page);
        config.routes.post(PAGE, this::addForm);
        config.routes.post(PAGE + "/{key}/remove", this::removeForm);
        config.routes.post(PAGE + "/{key}/sync", this::syncForm);
        config.routes.post(PAGE + "/{key}/token", this::tokenForm);
    }

    // --- JSON

    private void listApi(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("discovery", discoveryJson(survey.directory().report()));
        body.put("peers", survey.survey().stream().map(PeerRoutes::peerJson).toList());
        ctx.header("Cache-Control", "no-store");
        ctx.json(body);
    }

    private void addApi(Context ctx) {
        JsonNode body = JsonBody.object(ctx);
        JsonNode address = body.get("address");
        if (address == null || !address.isTextual()) {
            throw HttpProblem.badRequest("'address' is missing: the other server's address, such as 10.0.0.2:8080");
        }
        PeerStatus added = add(ctx, address.asText());
        ctx.status(201).json(Map.of("peer", peerJson(added)));
    }

    private void removeApi(Context ctx) {
        String key = remove(ctx, ctx.pathParam("key"));
        ctx.json(Map.of("removed", key));
    }

    private void syncApi(Context ctx) {
        JsonNode body = JsonBody.objectOrEmpty(ctx);
        Job job = sync(ctx, ctx.pathParam("key"), JsonBody.packIds(body.get("packs")));
        ctx.status(202).json(Map.of("job", Map.of("id", job.id(), "url", "/api/v1/jobs/" + job.id())));
    }

    private void tokenApi(Context ctx) {
        JsonNode token = JsonBody.object(ctx).get("token");
        if (token != null && !token.isNull() && !token.isTextual()) {
            throw HttpProblem.badRequest("'token' must be the other server's sync token as text, or null to forget it");
        }
        boolean saved = saveToken(ctx, ctx.pathParam("key"), token == null || token.isNull() ? null : token.asText());
        ctx.json(Map.of("saved", saved));
    }

    // --- The page

    private void page(Context ctx) {
        render(ctx, notice(ctx), null, "");
    }

    private void addForm(Context ctx) {
        String address = ctx.formParam("address");
        try {
            PeerStatus added = add(ctx, address == null ? "" : address);
            ctx.redirect(PAGE + "?added=" + enc(added.peer().url().toString()), HttpStatus.SEE_OTHER);
        } catch (HttpProblem e) {
            ctx.status(e.status());
            render(ctx, null, e.getMessage(), address == null ? "" : address);
        }
    }

    private void removeForm(Context ctx) {
        remove(ctx, ctx.pathParam("key"));
        ctx.redirect(PAGE + "?removed=1", HttpStatus.SEE_OTHER);
    }

    private void syncForm(Context ctx) {
        String pack = ctx.formParam("pack");
        List<String> packs = pack == null || pack.isBlank() ? List.of() : List.of(JsonBody.packId(pack));
        Job job = sync(ctx, ctx.pathParam("key"), packs);
        ctx.redirect(PAGE + "?job=" + job.id() + "#job", HttpStatus.SEE_OTHER);
    }

    private void tokenForm(Context ctx) {
        String key = ctx.pathParam("key");
        boolean saved;
        try {
            saved = saveToken(ctx, key, ctx.formParam("token"));
        } catch (HttpProblem e) {
            ctx.status(e.status());
            render(ctx, null, e.getMessage(), "");
            return;
        }
        ctx.redirect(PAGE + "?token=" + (saved ? "saved" : "forgotten"), HttpStatus.SEE_OTHER);
    }

    /** Keeps (or with a blank one, forgets) the peer's sync token; true when one is kept. */
    private boolean saveToken(Context ctx, String key, String token) {
        PeerDirectory.Peer peer = survey.directory().peer(key)
                .orElseThrow(() -> HttpProblem.notFound(t.format("peers.noPeer", key)));
        try {
            survey.tokens().put(peer.url(), token);
        } catch (SyncException e) {
            throw ErrorMapping.problem(e);
        }
        // Asked again at once, with the token: the page shows whether it is accepted.
        survey.catalogs().forget(peer.url());
        boolean saved = survey.tokens().has(peer.url());
        // The token itself never goes into the audit log.
        gate.audit(ctx, saved ? "sync token saved" : "sync token forgotten", peer.url().toString());
        return saved;
    }

    private void render(Context ctx, String notice, String error, String address) {
        String csrf = gate.formToken(ctx).orElse(null);
        AdminViews.JobRow job = null;
        String jobId = ctx.queryParam("job");
        if (jobId != null) {
            JobStatus status = pulls.job(jobId).orElse(null);
            if (status != null) {
                job = AdminRoutes.jobRow(t, status);
                if (!status.state().finished()) {
                    // A header, not a script: the progress bar moves with JavaScript off too.
                    ctx.header("Refresh", Integer.toString(REFRESH_SECONDS));
                }
            }
        }
        List<PeerViews.PeerRow> rows = new ArrayList<>();
        for (PeerStatus s : survey.survey()) {
            rows.add(row(s));
        }
        Layout layout = base.titled(t.get("peers.title")).withAdminBar(new Layout.AdminBar("peers", csrf));
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(PageRoutes.HTML).result(templates.render("adminPeers.jte", new PeerViews.Page(layout, csrf,
                notice, error, job, rows, discoveryView(survey.directory().report()), address)));
    }

    private PeerViews.PeerRow row(PeerStatus s) {
        PeerDirectory.Peer p = s.peer();
        String name = s.name() != null && !s.name().isBlank() ? s.name() : p.url().getHost();
        String sources = String.join(", ", p.sourceList().stream()
                .map(src -> t.get("peers.source." + src.label())).toList());
        String state = s.reachable() ? t.get("peers.reachable") : t.get("peers.unreachable");
        List<PeerViews.PackRow> theyHave = new ArrayList<>();
        List<PeerViews.PackRow> weHave = new ArrayList<>();
        String theyHaveSummary = null;
        String weHaveSummary = null;
        String syncAll = null;
        PeerComparison c = s.comparison();
        if (c != null) {
            for (PeerComparison.PackDifference d : c.theyHave()) {
                theyHave.add(new PeerViews.PackRow(d.id(), d.title(), facts(d, true),
                        t.format("peers.syncOne", d.title())));
            }
            for (PeerComparison.PackDifference d : c.weHave()) {
                weHave.add(new PeerViews.PackRow(d.id(), d.title(), facts(d, false), null));
            }
            theyHaveSummary = t.format("peers.theyHave.summary", c.theyHave().size(), t.size(c.theyHaveBytes()));
            weHaveSummary = t.format("peers.weHave.summary", c.weHave().size(), t.size(c.weHaveBytes()));
            if (!c.theyHave().isEmpty()) {
                syncAll = t.format("peers.syncAll", c.theyHave().size(), t.size(c.theyHaveBytes()));
            }
        }
        return new PeerViews.PeerRow(name, address(p.url()), sources, lastSeen(s.lastSeen()), s.reachable(), state,
                s.problem(), theyHave, theyHaveSummary, weHave, weHaveSummary, PAGE + "/" + p.key() + "/sync", syncAll,
                p.manual() ? PAGE + "/" + p.key() + "/remove" : null, t.format("peers.remove", name),
                new PeerViews.Token(PAGE + "/" + p.key() + "/token", "token-" + p.key(), s.refused(), survey.tokens().has(p.url())));
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

    private PeerViews.Discovery discoveryView(DiscoveryReport r) {
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

    private String notice(Context ctx) {
        String added = ctx.queryParam("added");
        if (added != null && !added.isBlank()) {
            return t.format("peers.added", added.length() > 200 ? added.substring(0, 200) : added);
        }
        String token = ctx.queryParam("token");
        if (token != null) {
            return t.get(token.equals("saved") ? "peers.token.saved" : "peers.token.forgotten");
        }
        return ctx.queryParam("removed") != null ? t.get("peers.removed") : null;
    }

    // --- Changes, shared by the API and the forms

    private PeerStatus add(Context ctx, String address) {
        PeerDirectory.Peer peer;
        try {
            peer = survey.directory().addManual(address);
        } catch (SyncException e) {
            throw ErrorMapping.problem(e);
        }
        gate.audit(ctx, "add peer", peer.url().toString());
        return survey.one(peer.key()).orElseThrow();
    }

    private String remove(Context ctx, String key) {
        PeerDirectory.Peer peer = survey.directory().peer(key).filter(PeerDirectory.Peer::manual)
                .orElseThrow(() -> HttpProblem.notFound(t.format("peers.noManualPeer", key)));
        survey.directory().removeManual(key);
        if (survey.tokens().has(peer.url())) {
            survey.tokens().put(peer.url(), null);
        }
        gate.audit(ctx, "remove peer", peer.url().toString());
        return key;
    }

    private Job sync(Context ctx, String key, List<String> packs) {
        PeerDirectory.Peer peer = survey.directory().peer(key)
                .orElseThrow(() -> HttpProblem.notFound(t.format("peers.noPeer", key)));
        URI url = peer.url();
        String who = peer.name() == null ? url.toString() : peer.name() + " (" + url + ")";
        Job job = pulls.start(new PeerPulls.Pull(url, survey.tokens().token(url), packs, false,
                packs.isEmpty() ? t.format("peers.job.all", who) : t.format("peers.job.one", packs.get(0), who),
                t.format("peers.job.pulling", url.toString()), 0));
        gate.audit(ctx, "sync from peer", url + (packs.isEmpty() ? ", every pack it has that this library lacks"
                : ", pack " + packs.get(0)) + ": job " + job.id());
        return job;
    }

    // --- JSON shapes and parsing

    private static Map<String, Object> discoveryJson(DiscoveryReport r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("enabled", r.enabled());
        d.put("multicast", r.multicastUsable());
        d.put("requestedInterface", r.requestedInterface());
        d.put("interfaces", r.interfaces());
        Map<String, Object> mdns = new LinkedHashMap<>();
        mdns.put("running", r.mdnsRunning());
        mdns.put("problem", r.mdnsProblem());
        d.put("mdns", mdns);
        Map<String, Object> broadcast = new LinkedHashMap<>();
        broadcast.put("running", r.broadcastRunning());
        broadcast.put("port", r.broadcastPort());
        broadcast.put("problem", r.broadcastProblem());
        d.put("broadcast", broadcast);
        d.put("explanation", r.explanation());
        return d;
    }

    private static Map<String, Object> peerJson(PeerStatus s) {
        PeerDirectory.Peer p = s.peer();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", p.key());
        m.put("name", s.name());
        m.put("url", p.url().toString());
        m.put("address", address(p.url()));
        m.put("serverId", p.serverId());
        m.put("sources", p.sourceList().stream().map(PeerSource::label).toList());
        m.put("lastSeen", s.lastSeen() == null ? null : s.lastSeen().toString());
        m.put("reachable", s.reachable());
        m.put("problem", s.problem());
        m.put("refused", s.refused());
        if (p.announcement() != null) {
            m.put("announced", Map.of("protocol", p.announcement().protocol(), "packs", p.announcement().packCount(),
                    "catalogDigest", p.announcement().catalogDigest()));
        }
        PeerComparison c = s.comparison();
        m.put("theyHave", c == null ? null : side(c.theyHave(), c.theyHaveBytes()));
        m.put("weHave", c == null ? null : side(c.weHave(), c.weHaveBytes()));
        m.put("sync", API + "/" + p.key() + "/sync");
        m.put("token", API + "/" + p.key() + "/token");
        return m;
    }

    private static Map<String, Object> side(List<PeerComparison.PackDifference> packs, long bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("packs", packs);
        m.put("count", packs.size());
        m.put("bytes", bytes);
        return m;
    }

    private static String address(URI url) {
        return url.getRawAuthority();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
