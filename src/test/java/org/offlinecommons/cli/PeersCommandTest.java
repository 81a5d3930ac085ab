package org.offlinecommons.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The peers command in-process, on loopback only (finding real peers is DiscoveryIT's job). */
class PeersCommandTest {

    @Test
    void explainsItselfAndServeHasTheDiscoveryFlags() {
        assertThat(CliTest.run("peers", "--help").out()).contains("Usage: offline-commons peers").contains("--wait")
                .contains("--discovery-interface");
        assertThat(CliTest.run("serve", "--help").out()).contains("--no-discovery").contains("--discovery-interface");
    }

    @Test
    void findingNothingSaysWhichInterfacesWereTriedAndHowToAddAPeerByAddress() {
        CliTest.Run r = CliTest.run("peers", "--wait", "1", "--discovery-interface", "lo");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("No Offline Commons server found in 1 s")
                .contains("Interface lo (127.0.0.1/8): tried; multicast not supported")
                .contains("mDNS (multicast) could not be used: no interface discovery uses supports multicast")
                .contains("The UDP broadcast fallback listens on port 24442")
                .contains("added by its address");
    }

    @Test
    void anInterfaceThatDoesNotExistIsNamedWithTheOnesThatDo() {
        CliTest.Run r = CliTest.run("peers", "--wait", "1", "--discovery-interface", "nope0");
        assertThat(r.out()).contains("there is no network interface named 'nope0'").contains("lo");
        assertThat(CliTest.run("peers", "--wait", "0").err()).contains("--wait must be from 1 to 600 seconds");
    }
}
