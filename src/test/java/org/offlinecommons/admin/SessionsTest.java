package org.offlinecommons.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionsTest {

    final TestClock clock = new TestClock();
    final Sessions sessions = new Sessions(clock, Duration.ofMinutes(30), Duration.ofHours(8), 3);

    @Test
    void aSessionHasFreshSecretsAndIsFoundByItsId() {
        AdminSession s = sessions.open("10.0.0.5", "stamp");
        assertThat(s.id()).hasSize(43).isNotEqualTo(s.csrfToken());
        assertThat(sessions.find(s.id(), "stamp")).contains(s);
        assertThat(sessions.find(s.id() + "x", "stamp")).isEmpty();
        assertThat(sessions.find(null, "stamp")).isEmpty();
        assertThat(s.toString()).doesNotContain(s.id(), s.csrfToken());
    }

    @Test
    void aSessionEndsWhenIdleWhenOldAndWhenThePasswordChanges() {
        AdminSession idle = sessions.open("a", "stamp");
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(idle.id(), "stamp")).isPresent();
        clock.advance(Duration.ofMinutes(31));
        assertThat(sessions.find(idle.id(), "stamp")).isEmpty();

        AdminSession busy = sessions.open("a", "stamp");
        for (int i = 0; i < 16; i++) {
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.find(busy.id(), "stamp")).as("after %d uses", i).isPresent();
        }
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(busy.id(), "stamp")).as("past the lifetime, however busy").isEmpty();

        AdminSession old = sessions.open("a", "stamp");
        assertThat(sessions.find(old.id(), "new stamp")).isEmpty();
        assertThat(sessions.find(old.id(), "stamp")).as("gone for good").isEmpty();
    }

    @Test
    void closingEndsASessionAndTooManyPushOutTheLeastRecentlyUsed() {
        AdminSession first = sessions.open("a", "s");
        AdminSession second = sessions.open("b", "s");
        clock.advance(Duration.ofSeconds(1));
        AdminSession third = sessions.open("c", "s");
        clock.advance(Duration.ofSeconds(1));
        sessions.find(first.id(), "s");
        sessions.open("d", "s");
        assertThat(sessions.count()).isEqualTo(3);
        assertThat(sessions.find(second.id(), "s")).isEmpty();
        assertThat(sessions.find(first.id(), "s")).isPresent();
        sessions.close(third.id());
        assertThat(sessions.find(third.id(), "s")).isEmpty();
    }

    @Test
    void secretsAreComparedWhole() {
        assertThat(Sessions.sameSecret("abc", "abc")).isTrue();
        assertThat(Sessions.sameSecret("abc", "abd")).isFalse();
        assertThat(Sessions.sameSecret("abc", "ab")).isFalse();
        assertThat(Sessions.sameSecret("abc", null)).isFalse();
        assertThat(Sessions.sameSecret(null, null)).isFalse();
    }
}
