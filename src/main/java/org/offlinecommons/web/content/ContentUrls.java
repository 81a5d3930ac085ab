package org.offlinecommons.web.content;

import java.net.URI;
import java.net.URISyntaxException;

/** URLs of pack content, percent-encoded so any valid pack path makes a working link. */
public final class ContentUrls {

    private ContentUrls() {
    }

    public static String packRoot(String packId) {
        return "/packs/" + packId + "/";
    }

    public static String file(String packId, String path) {
        return packRoot(packId) + encodePath(path);
    }

    /** Encodes each segment of a '/'-separated path for use in a URL. */
    public static String encodePath(String path) {
        if (plain(path)) {
            return path; // nothing to quote: most paths, and a pack page lists hundreds
        }
        try {
            // The multi-argument URI constructor quotes what is illegal in a path and keeps '/'.
            String encoded = new URI(null, null, "/" + path, null).toASCIIString().substring(1);
            return encoded.replace("?", "%3F").replace("#", "%23").replace(";", "%3B");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a path: " + path, e);
        }
    }

    /** Only characters a URL path carries as they are (RFC 3986 unreserved, and '/'). */
    private static boolean plain(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
