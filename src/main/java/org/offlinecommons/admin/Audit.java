package org.offlinecommons.admin;

import java.time.Clock;
import java.util.List;
import org.offlinecommons.store.AuditLog;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what admins do, in the library (so it survives restarts and log rotation) and in the
 * log (so it reaches the journal at once). Callers pass only words of their own making, never a
 * password; text from requests (file names) is made printable here so it cannot forge log lines.
 */
public final class Audit {

    /** The address recorded for the command line on the server itself. */
    public static final String LOCAL = "command line";
    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

    private final AuditLog log;
    private final Clock clock;

    public Audit(Library library) {
        this(library, Clock.systemUTC());
    }

    public Audit(Library library, Clock clock) {
        this.log = new AuditLog(library);
        this.clock = clock;
    }

    /**
     * @param action what was done, e.g. "delete pack"
     * @param detail what it was done to and how it went
     * @param address where the request came from
     */
    public void record(String action, String detail, String address) {
        String a = printable(action);
        String d = printable(detail);
        String from = printable(address);
        LOG.info("admin: {} ({}) from {}", a, d, from);
        try {
            log.add(new AuditLog.Entry(clock.millis(), from, a, d));
        } catch (StoreException e) {
            // The action itself happened; losing its record must not turn it into an error.
            LOG.error("Could not record the admin action '{}' in the library: {}", a, e.getMessage());
        }
    }

    public List<AuditLog.Entry> recent(int limit) {
        return log.recent(limit);
    }

    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp)
                || Character.getType(cp) == Character.LINE_SEPARATOR
                || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR ? '?' : cp));
        return out.toString();
    }
}
