package org.offlinecommons.discovery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.offlinecommons.store.Library;
import org.offlinecommons.sync.PeerClient;
import org.offlinecommons.sync.SyncException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync tokens of other servers (their {@code serve --sync-token}), as the admin typed them on
 * the peers page, by peer address. Kept in the library's settings so that they survive a restart,
 * like the peers added by address: the library file is the server's own, readable by it alone.
 * A token is sent only to the address it was given for, never logged and never shown again.
 */
public final class PeerTokens {

    static final String SETTING = "discovery.peer-tokens";
    /** The most a page could sensibly add; the setting stays small. */
    private static final int MAX_TOKENS = 64;
    private static final int MAX_LENGTH = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(PeerTokens.class);

    private final Library library;
    private final Map<String, String> tokens;

    public PeerTokens(Library library) {
        this.library = library;
        this.tokens = load();
    }

    /** The token to send to the peer at {@code url}, or null. */
    public synchronized String token(URI url) {
        return tokens.get(url.toString());
    }

    public synchronized boolean has(URI url) {
        return tokens.containsKey(url.toString());
    }

    /**
     * Remembers {@code token} for the peer at {@code url}; a blank token forgets it.
     *
     * @throws SyncException (BAD_REQUEST) when it cannot be a sync token
     */
    public synchronized void put(URI url, String token) {
        String t = token == null ? "" : token.strip();
        if (t.isEmpty()) {
            tokens.remove(url.toString());
        } else {
            if (t.length() > MAX_LENGTH) {
                throw new SyncException(SyncException.Reason.BAD_REQUEST,
                        "A sync token is at most " + MAX_LENGTH + " characters");
            }
            PeerClient.checkToken(t);
            if (!tokens.containsKey(url.toString()) && tokens.size() >= MAX_TOKENS) {
                throw new SyncException(SyncException.Reason.BAD_REQUEST, "At most " + MAX_TOKENS
                        + " sync tokens are kept; forget one of another server first");
            }
            tokens.put(url.toString(), t);
        }
        save();
    }

    private Map<String, String> load() {
        String stored = library.setting(SETTING).orElse(null);
        if (stored == null) {
            return new LinkedHashMap<>();
        }
        try {
            return new LinkedHashMap<>(JSON.readValue(stored, new TypeReference<Map<String, String>>() { }));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Discovery: the stored sync tokens of other servers cannot be read; they are ignored");
            return new LinkedHashMap<>();
        }
    }

    private void save() {
        try {
            library.putSetting(SETTING, JSON.writeValueAsString(tokens));
        } catch (IOException e) {
            throw new IllegalStateException("Writing JSON to memory cannot fail", e);
        }
    }
}
