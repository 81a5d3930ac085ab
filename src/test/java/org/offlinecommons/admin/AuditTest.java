package org.offlinecommons.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.AuditLog;
import org.offlinecommons.store.Library;

class AuditTest {

    @TempDir
    Path tmp;

    @Test
    void actionsAreKeptWithTimeAndAddressNewestFirstAndSurviveARestart() {
        TestClock clock = new TestClock();
        try (Library library = Library.open(tmp)) {
            Audit audit = new Audit(library, clock);
            audit.record("delete pack", "'Garden' (garden version 2)", "10.0.0.9");
            clock.advance(Duration.ofMinutes(1));
            audit.record("upload pack", "maths.zip", "10.0.0.10");
        }
        try (Library library = Library.open(tmp)) {
            List<AuditLog.Entry> entries = new Audit(library).recent(10);
            assertThat(entries).extracting(AuditLog.Entry::action).containsExactly("upload pack", "delete pack");
            assertThat(entries.get(1).address()).isEqualTo("10.0.0.9");
            assertThat(entries.get(0).at() - entries.get(1).at()).isEqualTo(60_000);
        }
    }

    @Test
    void textFromRequestsCannotForgeLogLines() {
        try (Library library = Library.open(tmp)) {
            Audit audit = new Audit(library);
            audit.record("upload pack", "evil.zip\n21:00:00 INFO admin: delete everything\u2028", "10.0.0.1");
            String detail = audit.recent(1).get(0).detail();
            assertThat(detail).doesNotContain("\n", "\u2028").startsWith("evil.zip?21:00:00");
        }
    }
}
