package org.offlinecommons.web.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.offlinecommons.admin.AdminPassword;
import org.offlinecommons.admin.AdminSession;
import org.offlinecommons.admin.Audit;
import org.offlinecommons.admin.Sessions;
import org.offlinecommons.sync.PullGrants;
import org.offlinecommons.sync.SyncTree;
import org.offlinecommons.web.HttpProblem;

/**
 * Who may do what, decided in one place before any route runs, so an endpoint added later is
 * protected without anyone remembering to:
 * <ul>
 * <li>Reading (GET, HEAD, OPTIONS) is open to everyone on the LAN, except the admin pages and
 * {@link #ADMIN_READS}.</li>
 * <li>Every other method, on every path, needs the admin's session cookie (HttpOnly,
 * SameSite=Strict) and the session's CSRF token (header {@value #CSRF_HEADER}, or form field
 * {@value #CSRF_FIELD}), and must not come from a page of another origin (Origin/Referer).</li>
 * </ul>
 * The exceptions, and why:
 * <ul>
 * <li>{@link LanguageChoice#PATH}: any visitor may choose the interface's language (a cookie
 * of their own); its Origin is still checked.</li>
 * <li>{@code /admin/login}: there is no session before it. Its Origin is still checked, and
 * guessing is slowed by {@link org.offlinecommons.admin.LoginThrottle}.</li>
 * <li>{@code /sync/v1/}: servers talk to each other there, without a browser or an admin; only
 * the read-only tree (with its bulk chunk reads, a POST only because a list of hashes is too long
 * for a URL) and pull requests (which the admin switches on) live there. With
 * {@code --sync-token} it needs that token as a bearer token instead; a peer this server asked
 * to pull from it may read the tree (never send pull requests) with the {@link PullGrants} token
 * it was handed.</li>
 * <li>Multipart bodies ({@link #MULTIPART_PATHS} only): the token is the form's first part, which
 * the upload checks before it stores a byte ({@link #requireDeferredToken}); every other path
 * refuses multipart without the header token.</li>
 * </ul>
 */
public final class AdminGate {

    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_FIELD = "csrf";
    public static final String LOGIN_PATH = "/admin/login";
    public static final Set<String> MULTIPART_PATHS = Set.of("/api/v1/packs", "/admin/packs");
    /** JSON that only the admin may read, like the admin pages: what peers are on the LAN, the drives (absolute paths). */
    public static final Set<String> ADMIN_READS = Set.of("/api/v1/peers", "/api/v1/drives");
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
    private static final String SESSION_ATTRIBUTE = "oc.admin.session";
    private static final String DEFERRED_TOKEN_ATTRIBUTE = "oc.admin.csrfDeferred";
    private static final String AUDITED_ATTRIBUTE = "oc.admin.audited";
    private static final String SYNC_PREFIX = "/" + SyncTree.ROOT + "/";
    /** Both {@code pull-request} and {@code pull-requests/{id}}: never opened by a grant. */
    private static final String PULL_REQUESTS = SYNC_PREFIX + "pull-request";

    private final Sessions sessions;
    private final AdminPassword password;
    private final Audit audit;
    private final PullGrants grants;
    private final boolean loginRequired;
    private final String syncToken;

    /**
     * @param loginRequired false only for servers embedded in tests: no admin login at all
     * @param grants        tokens that also open the tree (not pull requests) to the peers handed them
     * @param syncToken     the bearer token {@code /sync/v1/} requires, or null for none
     */
    public AdminGate(Sessions sessions, AdminPassword password, Audit audit, PullGrants grants, boolean loginRequired,
                     String syncToken) {
        this.sessions = sessions;
        this.password = password;
        this.audit = audit;
        this.grants = grants;
        this.loginRequired = loginRequired;
        this.syncToken = syncToken;
    }

    public boolean loginRequired() {
        return loginRequired;
    }

    /** The {@code before} handler for every request. */
    public void check(Context ctx) {
        String path = ctx.path();
        boolean safe = SAFE.contains(ctx.method());
        if (!safe && !fromOwnPages(ctx)) {
            throw HttpProblem.forbidden("cross_site", "problem.crossSite");
        }
        if (path.startsWith(SYNC_PREFIX)) {
            requireSyncToken(ctx);
            return;
        }
        if (!loginRequired || path.equals(LOGIN_PATH) || path.equals(LanguageChoice.PATH)
                || safe && !isAdminRead(path)) {
            return;
        }
        requireSession(ctx, safe);
    }

    /** The admin's own requests: a session, and for a change its token. */
    private void requireSession(Context ctx, boolean safe) {
        Optional<AdminSession> session = fromCookie(ctx);
        if (session.isEmpty()) {
            if (safe && ErrorPages.isForPeople(ctx)) {
                ctx.redirect(LOGIN_PATH + "?next=" + URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8));
                return;
            }
            throw HttpProblem.said(401, "login_required", "problem.loginRequired");
        }
        if (safe || requireToken(ctx, session.get())) {
            // Only now is this the admin's own request: the audit and the routes may rely on it.
            ctx.attribute(SESSION_ATTRIBUTE, session.get());
        }
    }

    /** The admin pages, and {@link #ADMIN_READS}: what only the admin may read. */
    private static boolean isAdminRead(String path) {
        return path.equals("/admin") || path.startsWith("/admin/")
                || ADMIN_READS.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    /**
     * Checks a change's CSRF token: from the header, or a plain form's field. False when a
     * multipart body carries it, which the upload checks before it stores a byte.
     */
    private boolean requireToken(Context ctx, AdminSession session) {
        String path = ctx.path();
        String token = ctx.header(CSRF_HEADER);
        if (token == null && isMultipart(ctx)) {
            if (!MULTIPART_PATHS.contains(path)) {
                throw csrfProblem();
            }
            ctx.attribute(DEFERRED_TOKEN_ATTRIBUTE, session);
            return false;
        }
        if (token == null && isForm(ctx)) {
            token = ctx.formParam(CSRF_FIELD);
        }
        if (!Sessions.sameSecret(session.csrfToken(), token)) {
            throw csrfProblem();
        }
        return true;
    }

    /** The {@code after} handler: every admin change that its route did not record itself. */
    public void auditChange(Context ctx) {
        AdminSession session = ctx.attribute(SESSION_ATTRIBUTE);
        if (session == null || SAFE.contains(ctx.method()) || ctx.attribute(AUDITED_ATTRIBUTE) != null) {
            return;
        }
        audit.record(ctx.method() + " " + ctx.path(), "answered " + ctx.statusCode(), address(ctx));
    }

    /** Records a change in words; the generic record of {@link #auditChange} is then left out. */
    public void audit(Context ctx, String action, String detail) {
        ctx.attribute(AUDITED_ATTRIBUTE, Boolean.TRUE);
        audit.record(action, detail, address(ctx));
    }

    /**
     * The session of this request, if it carries a live one. For a change, only once the gate
     * has checked its token: until then it may be a forgery riding on the admin's cookie.
     */
    public Optional<AdminSession> session(Context ctx) {
        AdminSession checked = ctx.attribute(SESSION_ATTRIBUTE);
        if (checked != null) {
            return Optional.of(checked);
        }
        return SAFE.contains(ctx.method()) ? fromCookie(ctx) : Optional.empty();
    }

    private Optional<AdminSession> fromCookie(Context ctx) {
        String id = ctx.cookie(cookieName(ctx));
        return id == null ? Optional.empty() : sessions.find(id, password.stamp());
    }

    /** The token for the forms of the page that answers this request, if it comes from the admin. */
    public Optional<String> formToken(Context ctx) {
        AdminSession deferred = ctx.attribute(DEFERRED_TOKEN_ATTRIBUTE);
        return deferred != null ? Optional.of(deferred.csrfToken()) : session(ctx).map(AdminSession::csrfToken);
    }

    /** Whether the upload must still check the token from its form (see {@link #MULTIPART_PATHS}). */
    public boolean tokenDeferred(Context ctx) {
        return ctx.attribute(DEFERRED_TOKEN_ATTRIBUTE) != null;
    }

    /** For the upload, with the token read from the form's first part. */
    public void requireDeferredToken(Context ctx, String token) {
        AdminSession session = ctx.attribute(DEFERRED_TOKEN_ATTRIBUTE);
        if (session == null || !Sessions.sameSecret(session.csrfToken(), token)) {
            throw csrfProblem();
        }
        ctx.attribute(DEFERRED_TOKEN_ATTRIBUTE, null);
        ctx.attribute(SESSION_ATTRIBUTE, session);
    }

    public AdminSession logIn(Context ctx) {
        AdminSession session = sessions.open(address(ctx), password.stamp());
        ctx.res().addHeader("Set-Cookie", cookieName(ctx) + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Strict"
                + (secure(ctx) ? "; Secure" : ""));
        return session;
    }

    public void logOut(Context ctx) {
        session(ctx).ifPresent(s -> sessions.close(s.id()));
        ctx.res().addHeader("Set-Cookie", cookieName(ctx) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (secure(ctx) ? "; Secure" : ""));
    }

    /** The client's own address; forwarded-for headers are not trusted, anyone can send them. */
    public static String address(Context ctx) {
        return ctx.req().getRemoteAddr();
    }

    /**
     * Whether a state-changing request may have come from a page of this server. Browsers send
     * Origin with every such request (our pages use Referrer-Policy same-origin, under which
     * it is the real origin); pack pages are sandboxed and send {@code Origin: null}, which is
     * refused. Programs send neither, and are then judged by session and token alone.
     */
    public static boolean fromOwnPages(Context ctx) {
        String own = ownOrigin(ctx);
        String origin = ctx.header("Origin");
        if (origin != null) {
            return origin.toLowerCase(Locale.ROOT).equals(own);
        }
        String referer = ctx.header("Referer");
        if (referer != null) {
            String r = referer.toLowerCase(Locale.ROOT);
            return r.equals(own) || r.startsWith(own + "/");
        }
        return true;
    }

    private static String ownOrigin(Context ctx) {
        String host = ctx.header("Host");
        return (ctx.scheme() + "://" + (host == null ? "" : host)).toLowerCase(Locale.ROOT);
    }

    private void requireSyncToken(Context ctx) {
        if (syncToken == null) {
            return;
        }
        String auth = ctx.header("Authorization");
        String given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : null;
        boolean granted = !ctx.path().startsWith(PULL_REQUESTS) && grants.allows(given);
        if (!granted && !Sessions.sameSecret(syncToken, given)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"offline-commons-sync\"");
            throw new HttpProblem(401, "sync_token_required", "This server shares its library only with peers that"
                    + " send its sync token (Authorization: Bearer ...).");
        }
    }

    private static String cookieName(Context ctx) {
        // The __Host- prefix makes browsers refuse the cookie from anything but this very host over HTTPS.
        return secure(ctx) ? "__Host-oc_admin" : "oc_admin";
    }

    private static boolean secure(Context ctx) {
        return "https".equals(ctx.scheme());
    }

    private static boolean isMultipart(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    private static boolean isForm(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private static HttpProblem csrfProblem() {
        return HttpProblem.forbidden("csrf", "problem.csrf");
    }
}
