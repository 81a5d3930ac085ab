package org.offlinecommons.pack;

/** What an import did. {@code storedBytes} is how much new content it had to store. */
public record ImportResult(String packId, long version, String title, Outcome outcome, long totalBytes,
                           long storedBytes) {

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
        return switch (outcome) {
            case INSTALLED -> String.format("imported '%s' version %d (%s)", packId, version, Sizes.human(totalBytes));
            case UPDATED -> String.format("updated '%s' to version %d (%s)", packId, version, Sizes.human(totalBytes));
            case UNCHANGED -> String.format("'%s' version %d is already installed; nothing to do", packId, version);
        };
    }
}
