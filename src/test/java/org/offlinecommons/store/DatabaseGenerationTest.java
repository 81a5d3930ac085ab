package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cheap "has anything changed?" number that the request caches check on every request. */
class DatabaseGenerationTest {

    @TempDir
    Path tmp;

    @Test
    void staysPutWhileNothingIsCommitted() throws Exception {
        try (Library library = Library.open(tmp)) {
            long first = library.generation();
            // Long enough for the check of other processes' commits to run again, twice.
            Thread.sleep(3 * TimeUnit.NANOSECONDS.toMillis(Database.OTHER_PROCESS_CHECK_NANOS));
            library.generation();
            Thread.sleep(3 * TimeUnit.NANOSECONDS.toMillis(Database.OTHER_PROCESS_CHECK_NANOS));
            assertThat(library.generation()).isEqualTo(first);
            assertThat(library.setting("anything")).isEmpty();
            assertThat(library.generation()).as("reading is not a change").isEqualTo(first);
        }
    }

    @Test
    void growsAtOnceForOurOwnCommits() {
        try (Library library = Library.open(tmp)) {
            long before = library.generation();
            library.putSetting("motto", "read more");
            assertThat(library.generation()).isGreaterThan(before);
        }
    }

    @Test
    void growsSoonAfterAnotherProcessCommits() throws Exception {
        try (Library server = Library.open(tmp)) {
            long before = server.generation();
            // The CLI next to a running server: connections of its own to the same file.
            try (Library cli = Library.open(tmp)) {
                cli.putSetting("motto", "read more");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.generation() == before && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.generation()).isGreaterThan(before);
        }
    }
}
