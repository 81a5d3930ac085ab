package org.offlinecommons.admin;

import java.time.Instant;

/**
 * A logged-in admin: the secret the session cookie carries, and the token every form and
 * state-changing request must repeat (which a page of another site cannot read).
 *
 * @param stamp the password's {@link AdminPassword#stamp()} at login: a new password ends the session
 */
public record AdminSession(String id, String csrfToken, String address, Instant createdAt, String stamp) {

    @Override
    public String toString() {
        // Never the secrets: a session may end up in a log line by mistake.
        return "AdminSession[from " + address + " since " + createdAt + "]";
    }
}
