package org.offlinecommons.web;

import java.util.List;

/** The admin pages' views: everything already in words, so the templates only lay it out. */
public final class AdminViews {

    private AdminViews() {
    }

    /**
     * @param next  the admin page to go back to after logging in
     * @param error why the last try failed, or null
     */
    public record Login(Layout layout, String next, String error) {
    }

    /**
     * @param notice what the last action did, or null
     * @param error  why the last action failed, or null
     */
    public record Dashboard(Layout layout, String csrf, String notice, String error, String uploadHint,
                            List<PackRow> packs, List<JobRow> jobs, List<AuditRow> audit, List<Link> links,
                            Storage storage) {
    }

    /**
     * The stored content's health: where the scrub stands, and what is damaged.
     *
     * @param scrub     one line on the scrub (running now, or when it last ended)
     * @param damaged   the damaged files, empty when all is well
     * @param repairUrl where the repair form posts
     */
    public record Storage(String scrub, List<DamageRow> damaged, String repairUrl) {
    }

    /** A damaged file: its pack, its path, and when the damage was found. */
    public record DamageRow(String pack, String file, String found) {
    }

    public record PackRow(String id, String title, String facts, String deleteUrl) {
    }

    /**
     * One job as the admin sees it.
     *
     * @param percent 0-100, or -1 when the total is not known yet
     */
    public record JobRow(String title, String state, String stateClass, int percent, String progress,
                         String message, String error) {
    }

    public record AuditRow(String time, String address, String action, String detail) {
    }

    public record Link(String url, String label, String description) {
    }

    /** @param refreshing whether the page reloads itself while jobs run */
    public record Jobs(Layout layout, List<JobRow> jobs, boolean refreshing) {
    }

    /** The confirmation step before a pack is deleted, naming exactly what goes. */
    public record ConfirmDelete(Layout layout, String csrf, String title, String question, List<Fact> facts,
                                String action) {
    }

    public record Fact(String label, String value) {
    }
}
