package org.offlinecommons.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.admin.TestClock;
import org.offlinecommons.store.Library;
import org.offlinecommons.sync.ServerIdentity;
import org.offlinecommons.sync.SyncException;

/** Peers heard and forgotten by the clock, and peers added by address kept in the library. */
class PeerDirectoryTest {

    @TempDir
    Path tmp;
    final TestClock clock = new TestClock();

    Sighting heard(String id, String address, PeerSource source) throws Exception {
        return new Sighting(Announcement.of(id, "Server " + id, "http", 8080, 3, "b".repeat(64)),
                InetAddress.getByName(address), source, clock.instant());
    }

    @Test
    void aPeerHeardBothWaysIsOneEntryAndIsForgottenNinetySecondsAfterTheLastTime() throws Exception {
        try (Library library = Library.open(tmp.resolve("data"))) {
            PeerDirectory d = new PeerDirectory(library, clock);
            d.seen(heard("s1", "10.0.0.2", PeerSource.MDNS));
            clock.advance(Duration.ofSeconds(30));
            d.seen(heard("s1", "10.0.0.2", PeerSource.BROADCAST));
            List<PeerDirectory.Peer> peers = d.peers();
            assertThat(peers).hasSize(1);
            PeerDirectory.Peer p = peers.get(0);
            assertThat(p.url()).isEqualTo(URI.create("http://10.0.0.2:8080"));
            assertThat(p.sourceList()).containsExactly(PeerSource.MDNS, PeerSource.BROADCAST);
            assertThat(p.lastSeen()).isEqualTo(clock.instant());
            assertThat(p.name()).isEqualTo("Server s1");

            clock.advance(Duration.ofSeconds(61)); // the mDNS sighting is now 91 s old
            assertThat(d.peers().get(0).sourceList()).containsExactly(PeerSource.BROADCAST);
            clock.advance(Duration.ofSeconds(29));
            assertThat(d.peers()).hasSize(1);
            clock.advance(Duration.ofSeconds(2));
            assertThat(d.peers()).isEmpty();
        }
    }

    @Test
    void ourOwnAnnouncementsAreNotAPeerAndAGoodbyeForgetsThatWay() throws Exception {
        try (Library library = Library.open(tmp.resolve("data"))) {
            PeerDirectory d = new PeerDirectory(library, clock);
            d.seen(heard(ServerIdentity.of(library).id(), "10.0.0.1", PeerSource.BROADCAST));
            assertThat(d.peers()).isEmpty();
            d.seen(heard("s2", "10.0.0.3", PeerSource.MDNS));
            d.gone(PeerSource.MDNS, "s2");
            assertThat(d.peers()).isEmpty();
        }
    }

    @Test
    void aFloodOfForgedIdsCannotGrowTheDirectoryWithoutBound() throws Exception {
        try (Library library = Library.open(tmp.resolve("data"))) {
            PeerDirectory d = new PeerDirectory(library, clock);
            for (int i = 0; i < PeerDirectory.MAX_DISCOVERED + 50; i++) {
                d.seen(heard("forged-" + i, "10.0." + (i / 250) + "." + (i % 250 + 1), PeerSource.BROADCAST));
            }
            assertThat(d.peers()).hasSize(PeerDirectory.MAX_DISCOVERED);
            clock.advance(PeerDirectory.FORGET_AFTER.plusSeconds(1));
            d.seen(heard("real", "10.9.9.9", PeerSource.BROADCAST));
            assertThat(d.peers()).extracting(PeerDirectory.Peer::serverId).containsExactly("real");
        }
    }

    @Test
    void peersAddedByAddressAreRememberedAcrossARestartAndNeverExpire() throws Exception {
        Path data = tmp.resolve("data");
        String key;
        try (Library library = Library.open(data)) {
            PeerDirectory d = new PeerDirectory(library, clock);
            PeerDirectory.Peer added = d.addManual(" school-b.lan:8080/ ");
            key = added.key();
            assertThat(added.url()).isEqualTo(URI.create("http://school-b.lan:8080"));
            assertThat(added.manual()).isTrue();
            d.addManual("http://school-b.lan:8080"); // the same, not twice
            d.addManual("10.0.0.2:8080");
            assertThat(d.peers()).hasSize(2);
            assertThatThrownBy(() -> d.addManual("ftp://x")).isInstanceOf(SyncException.class);
        }
        try (Library library = Library.open(data)) {
            PeerDirectory d = new PeerDirectory(library, clock);
            clock.advance(Duration.ofDays(3));
            assertThat(d.peers()).extracting(p -> p.url().toString())
                    .containsExactlyInAnyOrder("http://school-b.lan:8080", "http://10.0.0.2:8080");
            // Heard by broadcast at the same address: one entry, both ways.
            d.seen(heard("s9", "10.0.0.2", PeerSource.BROADCAST));
            PeerDirectory.Peer merged = d.peers().stream().filter(p -> "s9".equals(p.serverId())).findFirst()
                    .orElseThrow();
            assertThat(merged.sourceList()).containsExactly(PeerSource.BROADCAST, PeerSource.MANUAL);
            assertThat(d.peers()).hasSize(2);

            assertThat(d.removeManual(key)).isTrue();
            assertThat(d.removeManual(key)).isFalse();
        }
        try (Library library = Library.open(data)) {
            assertThat(new PeerDirectory(library, clock).peers()).extracting(p -> p.url().toString())
                    .containsExactly("http://10.0.0.2:8080");
        }
    }
}
