package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statements each reader prepares once and keeps: a failed query neither hides its error nor breaks the next. */
class PooledStatementsTest {

    @TempDir
    Path tmp;

    @Test
    void aQueryThatFailsWhileRunningReportsItsOwnErrorAndTheSameQueryWorksAfterwards() {
        try (Database db = Database.open(tmp, 1)) {
            // abs() of the smallest integer fails inside SQLite, while the statement steps.
            String sql = "SELECT abs(?)";
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> db.query(sql, ps -> {
                    ps.setLong(1, Long.MIN_VALUE);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                })).isInstanceOf(StoreException.class).hasMessageContaining("integer overflow");
                Long two = db.query(sql, ps -> {
                    ps.setLong(1, -2);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                });
                assertThat(two).isEqualTo(2L);
            }
        }
    }

    @Test
    void aQueryTheIndexRefusesReportsItsOwnErrorAndTheSameQueryWorksAfterwards() {
        try (Database db = Database.open(tmp, 1)) {
            String sql = "SELECT count(*) FROM search WHERE search MATCH ?";
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> db.query(sql, ps -> {
                    ps.setString(1, "\"unclosed");
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                })).isInstanceOf(StoreException.class).hasMessageContaining("unterminated string");
                Long none = db.query(sql, ps -> {
                    ps.setString(1, "water");
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                });
                assertThat(none).isZero();
            }
        }
    }
}
