package org.offlinecommons.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    private final ConsoleProgress bar = new ConsoleProgress(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "Importing x.zip");

    @Test
    void noRateOrTimeLeftBeforeBytesHaveFlowedForASecond() {
        assertThat(bar.line(16, 33_000_000, 16, 0.2)).isEqualTo("Importing x.zip [                        ]   0%  16 B of 33 MB");
        assertThat(bar.line(0, 33_000_000, 0, 5)).doesNotContain("/s", "left");
    }

    @Test
    void rateAndTimeLeftCountFromTheFirstByte() {
        String line = bar.line(20_000_000, 40_000_000, 10_000_000, 2.0);
        assertThat(line).contains("[############            ]  50%", "20 MB of 40 MB", "5.0 MB/s", "about 4 s left");
    }
}
