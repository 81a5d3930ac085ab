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
}
