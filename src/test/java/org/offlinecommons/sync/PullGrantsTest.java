package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.offlinecommons.admin.TestClock;

class PullGrantsTest {

    private final TestClock clock = new TestClock();
    private final PullGrants grants = new PullGrants(clock);

    @Test
    void aGrantIsAValidSyncTokenThatOnlyItselfMatches() {
        String grant = grants.issue();
        PeerClient.checkToken(grant);
        assertThat(grant).hasSize(32).isNotEqualTo(grants.issue());
        assertThat(grants.allows(grant)).isTrue();
        assertThat(grants.allows(grant.substring(1))).isFalse();
        assertThat(grants.allows(null)).isFalse();
        assertThat(grants.allows("")).isFalse();
    }

    @Test
    void aGrantEndsWhenIdleButUseKeepsItAliveUpToItsLifetime() {
        String idle = grants.issue();
        String used = grants.issue();
        clock.advance(PullGrants.IDLE.minusSeconds(1));
        assertThat(grants.allows(used)).isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(grants.allows(idle)).as("unused for longer than IDLE").isFalse();
        assertThat(grants.allows(used)).isTrue();
        Duration step = PullGrants.IDLE.minusMinutes(1);
        for (Duration age = PullGrants.IDLE; age.compareTo(PullGrants.LIFETIME) < 0; age = age.plus(step)) {
            assertThat(grants.allows(used)).isTrue();
            clock.advance(step);
        }
        assertThat(grants.allows(used)).as("older than LIFETIME, used or not").isFalse();
    }

    @Test
    void onlyTheNewestGrantsStayLive() {
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < PullGrants.MAX + 1; i++) {
            issued.add(grants.issue());
        }
        assertThat(grants.allows(issued.get(0))).isFalse();
        assertThat(issued.subList(1, issued.size())).allMatch(grants::allows);
    }
}
