package org.offlinecommons.pack;

/**
 * What an import did. {@code storedBytes} is how much new content it had to store; {@code leftOut}
 * counts entries of a ZIM that no pack can hold (docs/zim.md, Paths), {@code firstLeftOut} names
 * the first of them ("" when none), so that the admin knows the pack is not the whole ZIM.
 */
public record ImportResult(String packId, long version, String title, Outcome outcome, long totalBytes,
                           long storedBytes, long leftOut, String firstLeftOut) {

    public ImportResult(String packId, long version, String title, Outcome outcome, long totalBytes,
                        long storedBytes) {
        this(packId, version, title, outcome, totalBytes, storedBytes, 0, "");
    }

    public enum Outcome {
        /** The pack was not installed before. */
        INSTALLED,
        /** A newer version replaced the installed one. */
        UPDATED,
        /** The same pack was already installed; nothing changed. */
        UNCHANGED
    }

    /** What the import did, in one line for a terminal or a job list; the caller adds which file it read. */
    public String summary() {
        String done = switch (outcome) {
            case INSTALLED -> String.format("imported '%s' version %d (%s)", packId, version, Sizes.human(totalBytes));
            case UPDATED -> String.format("updated '%s' to version %d (%s)", packId, version, Sizes.human(totalBytes));
            case UNCHANGED -> String.format("'%s' version %d is already installed; nothing to do", packId, version);
        };
        return leftOut == 0 ? done : done + "; " + leftOutSentence();
    }

    /** The entries left out, in English: how many, why, and the first one. */
    public String leftOutSentence() {
        return String.format("%d %s of the ZIM left out, their paths cannot be served (first: '%s')", leftOut,
                leftOut == 1 ? "entry" : "entries", firstLeftOut);
    }
}
