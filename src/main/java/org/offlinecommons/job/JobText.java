package org.offlinecommons.job;

import java.util.List;

/**
 * A job's title or message as words to be said, not yet said: a key of the interface's messages
 * with its arguments, so that each visitor reads a job in their own language however long ago a
 * background thread wrote it; and the same in English, for the log, the command line and the API.
 *
 * @param key     a key of {@code web/messages.properties}, or null when there is only the English
 * @param args    its arguments: texts and numbers, rendered for the reader's language
 * @param english the words in English
 */
public record JobText(String key, List<Object> args, String english) {

    public JobText {
        args = List.copyOf(args);
    }

    /** Words that have no translation (a detail from below, a name). */
    public static JobText english(String english) {
        return new JobText(null, List.of(), english);
    }

    public static JobText of(String english, String key, Object... args) {
        return new JobText(key, List.of(args), english);
    }

    /** An import's outcome as a job says it: {@code english}, or in each visitor's language. */
    public static JobText imported(org.offlinecommons.pack.ImportResult r, String english) {
        if (r.leftOut() > 0 && r.outcome() != org.offlinecommons.pack.ImportResult.Outcome.UNCHANGED) {
            // The admin must learn that the pack is not the whole ZIM, in their own language too.
            return r.outcome() == org.offlinecommons.pack.ImportResult.Outcome.INSTALLED
                    ? of(english, "job.import.installed.leftOut", r.title(), r.packId(), r.version(), r.leftOut(),
                            r.firstLeftOut())
                    : of(english, "job.import.updated.leftOut", r.title(), r.version(), r.leftOut(),
                            r.firstLeftOut());
        }
        return switch (r.outcome()) {
            case INSTALLED -> of(english, "job.import.installed", r.title(), r.packId(), r.version());
            case UPDATED -> of(english, "job.import.updated", r.title(), r.version());
            case UNCHANGED -> of(english, "job.import.unchanged", r.title(), r.version());
        };
    }

    /** An argument that is a number of bytes: each language writes the size its own way. */
    public record Bytes(long count) {
    }

    @Override
    public String toString() {
        return english;
    }
}
