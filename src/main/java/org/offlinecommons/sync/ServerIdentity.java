package org.offlinecommons.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.offlinecommons.store.Library;

/**
 * Who a library is to its peers: a random id that never changes (so peers can tell two
 * servers with the same name apart) and a name for people.
 */
public record ServerIdentity(String id, String name) {

    static final String ID_KEY = "sync.server-id";
    static final String NAME_KEY = "sync.server-name";
    public static final int MAX_NAME_CHARS = 200;

    /** The library's identity, created on first use. */
    public static ServerIdentity of(Library library) {
        String id = library.setting(ID_KEY).orElse(null);
        if (id == null) {
            byte[] bytes = new byte[16];
            new SecureRandom().nextBytes(bytes);
            id = HexFormat.of().formatHex(bytes);
            // A read-only library (full disk) goes by a new id until it can store one.
            if (!library.readOnly()) {
                library.putSetting(ID_KEY, id);
            }
        }
        String name = library.setting(NAME_KEY).orElse(null);
        if (name == null) {
            name = defaultName();
            if (!library.readOnly()) {
                library.putSetting(NAME_KEY, name);
            }
        }
        return new ServerIdentity(id, name);
    }

    public static void rename(Library library, String name) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("a server name must be 1 to " + MAX_NAME_CHARS + " characters");
        }
        of(library);
        library.putSetting(NAME_KEY, clean);
    }

    /** The machine's host name: what an admin is most likely to recognise in a list of peers. */
    private static String defaultName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = Files.readString(Path.of("/etc/hostname")).strip();
            } catch (IOException | RuntimeException e) {
                host = null;
            }
        }
        return host == null || host.isBlank() ? "Offline Commons" : "Offline Commons on " + host;
    }
}
