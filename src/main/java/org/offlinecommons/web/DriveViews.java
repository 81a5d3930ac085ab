package org.offlinecommons.web;

import java.util.List;

/** The USB drive pages' views: everything already in words, so the templates only lay it out. */
public final class DriveViews {

    private DriveViews() {
    }

    /**
     * The jobs a page started, followed until they end.
     *
     * @param running    whether any has not ended: the page then keeps itself up to date
     * @param written    for an export: each file on the drive and how it was checked
     * @param done       a closing line once everything ended well, or null
     * @param refreshUrl this very page, for the "update now" link
     */
    public record Progress(String heading, List<AdminViews.JobRow> jobs, boolean running,
                           List<AdminViews.Fact> written, String done, String refreshUrl) {
    }

    /**
     * "Import from USB drive".
     *
     * @param error        why the last request was refused, or null
     * @param progress     the imports just started, or null
     * @param empty        no drive and an empty inbox: the page explains where packs come from
     * @param spaceWarning set when the new packs and updates shown do not all fit
     * @param nothingToImport set when packs were found but none can be imported
     */
    public record Import(Layout layout, String csrf, String error, Progress progress, List<DriveBox> drives,
                         boolean empty, String emptyText, String lookedIn, String space, String spaceWarning,
                         boolean anyTickable, String nothingToImport, String styleUrl, String scriptUrl) {
    }

    /**
     * A drive or the inbox, and the pack zips on it.
     *
     * @param facts file system and free space, or null for the inbox (it is the server's own disk)
     * @param note  a warning about the drive itself, or null
     */
    public record DriveBox(String heading, String path, String facts, String summary, String note,
                           List<FoundRow> packs) {
    }

    /**
     * A pack zip found on a drive.
     *
     * @param path     what the form sends back: the file, as the server found it
     * @param tickable whether it can be imported (new or newer, and no import of it running)
     * @param problem  whether {@code detail} is a reason for refusing it
     */
    public record FoundRow(String path, boolean tickable, boolean ticked, String title,
                           String state, String stateClass, String facts, String detail, boolean problem) {
    }

    /**
     * "Export to USB drive".
     *
     * @param noDrive set when no drive is plugged in, saying what to do
     * @param fatNote set when a FAT32 drive is plugged in and some pack is too big for it
     * @param room what the ticked packs need against the chosen drive's free space, as sent;
     *             the page's script keeps it true while the admin ticks
     */
    public record Export(Layout layout, String csrf, String error, Progress progress, List<LibraryRow> packs,
                         List<TargetRow> targets, String folder, String folderHint, boolean zips, boolean mirror,
                         String noDrive, String fatNote, Room room, String styleUrl, String scriptUrl) {
    }

    /**
     * @param text     the sentence for the form as sent
     * @param tooSmall whether the chosen drive lacks the room
     * @param none     this and the next three: the sentences, with {0} for the size needed, {1}
     *                 for the drive and {2} for its free space, for the script to fill in
     */
    public record Room(String text, boolean tooSmall, String none, String needs, String fits, String tooSmallFor) {
    }

    /**
     * @param bytes    about what one copy of the pack takes on a drive
     * @param warnings the drives this pack cannot go onto as a zip, and why
     */
    public record LibraryRow(String id, String title, String facts, boolean ticked, long bytes,
                             List<String> warnings) {
    }

    /** @param freeBytes free space on the drive, or -1 when unknown */
    public record TargetRow(String path, String label, String facts, boolean checked, long freeBytes) {
    }
}
