package org.offlinecommons.web.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code If-None-Match} as RFC 9110 §13.1.2 reads it: a list of entity tags, or {@code *}. */
public final class EntityTags {

    private static final Pattern TAG = Pattern.compile("\\s*(?:W/)?(\"[^\"]*\")\\s*(?:,|$)");

    private EntityTags() {
    }

    /**
     * Whether {@code ifNoneMatch} names {@code etag} (weak comparison: {@code W/} is ignored on
     * both sides) or is {@code *}; false when the header is absent.
     */
    public static boolean noneMatchFails(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        if (ifNoneMatch.strip().equals("*")) {
            return true;
        }
        String ours = etag.startsWith("W/") ? etag.substring(2) : etag;
        Matcher m = TAG.matcher(ifNoneMatch);
        while (m.lookingAt()) {
            if (m.group(1).equals(ours)) {
                return true;
            }
            if (m.end() == ifNoneMatch.length()) {
                break;
            }
            m.region(m.end(), ifNoneMatch.length());
        }
        return false;
    }
}
