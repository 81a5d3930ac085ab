package org.offlinecommons.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The record of admin actions in the library's database, newest first when read. */
public final class AuditLog {

    /** One admin action. {@code at} is in milliseconds since the epoch. */
    public record Entry(long at, String address, String action, String detail) {
    }

    /** Years of a school's admin work; a flood of failed logins cannot grow the file forever. */
    static final int KEEP = 10_000;
    static final int MAX_TEXT = 1000;

    private final Database db;

    public AuditLog(Library library) {
        this.db = library.database();
    }

    public void add(Entry entry) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_log(at, address, action, detail) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, entry.at());
                ps.setString(2, cap(entry.address()));
                ps.setString(3, cap(entry.action()));
                ps.setString(4, cap(entry.detail()));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM audit_log WHERE id <= (SELECT MAX(id) FROM audit_log) - ?")) {
                ps.setInt(1, KEEP);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public List<Entry> recent(int limit) {
        return db.read(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT at, address, action, detail FROM audit_log ORDER BY id DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            return out;
        });
    }

    private static String cap(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 1) + "…";
    }
}
