package org.offlinecommons.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    final TestClock clock = new TestClock();
    final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void aFewMistakesAreFreeThenEachFailureDoublesTheWait() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            throttle.failed("10.0.0.7");
            assertThat(throttle.waitBefore("10.0.0.7")).isZero();
        }
        throttle.failed("10.0.0.7");
        assertThat(throttle.waitBefore("10.0.0.7")).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.waitBefore("10.0.0.7")).isZero();
        throttle.failed("10.0.0.7");
        assertThat(throttle.waitBefore("10.0.0.7")).isEqualTo(Duration.ofSeconds(2));
        throttle.failed("10.0.0.7");
        assertThat(throttle.waitBefore("10.0.0.7")).isEqualTo(Duration.ofSeconds(4));
        for (int i = 0; i < 30; i++) {
            throttle.failed("10.0.0.7");
        }
        assertThat(throttle.waitBefore("10.0.0.7")).isEqualTo(LoginThrottle.MAX_WAIT);
        assertThat(throttle.waitBefore("10.0.0.8")).as("another computer").isZero();
    }

    @Test
    void aSuccessOrAnHourOfQuietForgetsTheAddress() {
        for (int i = 0; i < 7; i++) {
            throttle.failed("a");
            throttle.failed("b");
        }
        throttle.succeeded("a");
        assertThat(throttle.waitBefore("a")).isZero();
        throttle.failed("a");
        assertThat(throttle.waitBefore("a")).as("counting starts again").isZero();

        clock.advance(LoginThrottle.FORGET_AFTER.plusSeconds(1));
        assertThat(throttle.waitBefore("b")).isZero();
        throttle.failed("b");
        assertThat(throttle.waitBefore("b")).as("forgotten, so the mistake is free again").isZero();
    }

    @Test
    void aFloodOfAddressesCannotFillMemoryButTheGuesserStaysThrottled() {
        for (int i = 0; i < 7; i++) {
            throttle.failed("guesser");
        }
        for (int i = 0; i < LoginThrottle.MAX_ADDRESSES + 10; i++) {
            throttle.failed("flood-" + i);
        }
        throttle.failed("guesser");
        assertThat(throttle.waitBefore("guesser")).isPositive();
    }
}
