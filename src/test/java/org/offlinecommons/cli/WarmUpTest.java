package org.offlinecommons.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class WarmUpTest {

    @Test
    void aCommandWaitsUntilLoggingAndSqliteAreReady() throws Exception {
        WarmUp warmUp = WarmUp.start();
        CompletableFuture.runAsync(warmUp::await).get(60, TimeUnit.SECONDS);
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(ch.qos.logback.classic.LoggerContext.class);
        assertThat(DriverManager.getDriver("jdbc:sqlite::memory:")).isNotNull();
    }

    @Test
    void aCommandRunsOnceTheWarmUpIsDone(@TempDir Path tmp) {
        assertThat(Main.run(WarmUp.start(), "list", "--data", tmp.resolve("library").toString())).isZero();
        assertThat(Main.run(WarmUp.start(), "list", "--help")).isZero();
    }

    @Test
    void withoutAWarmUpNothingIsAwaited() throws Exception {
        CompletableFuture.runAsync(WarmUp.NONE::await).get(10, TimeUnit.SECONDS);
    }
}
