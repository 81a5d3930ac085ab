package org.offlinecommons.web.peers;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import org.offlinecommons.job.JobText;
import org.offlinecommons.sync.PeerPulls;
import org.offlinecommons.sync.SyncException;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.Layout;
import org.offlinecommons.web.Messages;
import org.offlinecommons.web.Templates;
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
    /** A job's words for the log and the API; pages say them in each visitor's language. */
    private static final Messages ENGLISH = Messages.load(java.util.Locale.ROOT);
    private final Templates templates;
    private final PeerScreens screens;

    public PeerRoutes(PeerSurvey survey, PeerPulls pulls, AdminGate gate, Messages messages, Layout base,
               Templates templates) {
        this.survey = survey;
        this.pulls = pulls;
        this.gate = gate;
        this.t = messages;
        this.templates = templates;
        this.screens = new PeerScreens(survey, pulls, messages, base, PAGE);
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
            throw HttpProblem.badRequest("problem.peer.noAddress");
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
            throw HttpProblem.badRequest("problem.peer.badToken");
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
            render(ctx, null, e.message(t), address == null ? "" : address);
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
            render(ctx, null, e.message(t), "");
            return;
        }
        ctx.redirect(PAGE + "?token=" + (saved ? "saved" : "forgotten"), HttpStatus.SEE_OTHER);
    }

    /** Keeps (or with a blank one, forgets) the peer's sync token; true when one is kept. */
    private boolean saveToken(Context ctx, String key, String token) {
        PeerDirectory.Peer peer = survey.directory().peer(key)
                .orElseThrow(() -> HttpProblem.notFound("peers.noPeer", key));
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
        String jobId = ctx.queryParam("job");
        if (jobId != null && pulls.job(jobId).filter(s -> !s.state().finished()).isPresent()) {
            // A header, not a script: the progress bar moves with JavaScript off too.
            ctx.header("Refresh", Integer.toString(REFRESH_SECONDS));
        }
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(PageRoutes.HTML).result(templates.render("adminPeers.jte",
                screens.page(csrf, notice, error, jobId, address)));
    }

    private String notice(Context ctx) {
        return screens.notice(ctx.queryParam("added"), ctx.queryParam("token"), ctx.queryParam("removed") != null);
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
                .orElseThrow(() -> HttpProblem.notFound("peers.noManualPeer", key));
        survey.directory().removeManual(key);
        if (survey.tokens().has(peer.url())) {
            survey.tokens().put(peer.url(), null);
        }
        gate.audit(ctx, "remove peer", peer.url().toString());
        return key;
    }

    private Job sync(Context ctx, String key, List<String> packs) {
        PeerDirectory.Peer peer = survey.directory().peer(key)
                .orElseThrow(() -> HttpProblem.notFound("peers.noPeer", key));
        URI url = peer.url();
        String who = peer.name() == null ? url.toString() : peer.name() + " (" + url + ")";
        Job job = pulls.start(new PeerPulls.Pull(url, survey.tokens().token(url), packs, false,
                packs.isEmpty() ? JobText.of(ENGLISH.format("peers.job.all", who), "peers.job.all", who)
                        : JobText.of(ENGLISH.format("peers.job.one", packs.get(0), who), "peers.job.one", packs.get(0),
                        who),
                JobText.of(ENGLISH.format("peers.job.pulling", url.toString()), "peers.job.pulling", url.toString()),
                0));
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
        m.put("address", PeerScreens.address(p.url()));
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

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
