package org.offlinecommons.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.offlinecommons.job.Jobs;

/**
 * Real UDP sockets on loopback (whose subnet has a broadcast address of its own, so nothing
 * leaves this machine): two servers find each other, and hostile datagrams change nothing.
 */
class BroadcastDiscoveryTest {

    static final String DIGEST = "c".repeat(64);

    static LocalSubnet loopback() throws Exception {
        return new LocalSubnet("lo", (Inet4Address) InetAddress.getByName("127.0.0.1"), 8, null);
    }

    static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void await(List<?> list, int size) throws Exception {
        Jobs.until(size + " datagrams heard", () -> list.size() >= size);
    }

    @Test
    void twoServersOnOneSubnetFindEachOtherAndTheirOwnDatagramsAreIgnored() throws Exception {
        int port = freePort();
        List<Sighting> heardByA = new CopyOnWriteArrayList<>();
        List<Sighting> heardByB = new CopyOnWriteArrayList<>();
        Announcement a = Announcement.of("server-a", "A", "http", 8080, 1, DIGEST);
        Announcement b = Announcement.of("server-b", "B", "http", 8081, 2, DIGEST);
        try (BroadcastDiscovery first = BroadcastDiscovery.open(port, port, List.of(loopback()), "server-a",
                () -> a, heardByA::add, Clock.systemUTC())) {
            first.announce(); // nobody listens yet
            first.query();
            try (BroadcastDiscovery second = BroadcastDiscovery.open(port, port, List.of(loopback()), "server-b",
                    () -> b, heardByB::add, Clock.systemUTC())) {
                // What a server does at start: announce, and ask who is there.
                second.announce();
                second.query();
                await(heardByA, 1);
                await(heardByB, 1);
                assertThat(heardByA).extracting(Sighting::announcement).contains(b).doesNotContain(a);
                assertThat(heardByB).extracting(Sighting::announcement).contains(a).doesNotContain(b);
                assertThat(heardByB.get(0).source()).isEqualTo(PeerSource.BROADCAST);
                assertThat(heardByB.get(0).url().toString()).isEqualTo("http://127.0.0.1:8080");
                assertThat(first.refused() + second.refused()).isZero();
            }
        }
    }

    @Test
    void hostileDatagramsAreDroppedAndTheListenerKeepsListening() throws Exception {
        int port = freePort();
        List<Sighting> heard = new CopyOnWriteArrayList<>();
        Announcement ours = Announcement.of("ours", "Ours", "http", 8080, 1, DIGEST);
        try (BroadcastDiscovery d = BroadcastDiscovery.open(port, port, List.of(loopback()), "ours", () -> ours,
                heard::add, Clock.systemUTC());
             DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            List<byte[]> hostile = List.of(new byte[0], "garbage".getBytes(StandardCharsets.UTF_8),
                    new byte[DiscoveryDatagram.MAX_BYTES + 1], new byte[9000],
                    "{\"oc\":1,\"type\":\"announce\",\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                    "{\"oc\":7,\"type\":\"query\",\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                    ("{\"oc\":1,\"type\":\"query\",\"id\":\"x\",\"pad\":\"" + "y".repeat(1100) + "\"}")
                            .getBytes(StandardCharsets.UTF_8));
            for (byte[] bytes : hostile) {
                attacker.send(new DatagramPacket(bytes, bytes.length, to));
            }
            byte[] own = DiscoveryDatagram.announce(ours);
            attacker.send(new DatagramPacket(own, own.length, to));
            Announcement peer = Announcement.of("peer", "Peer", "https", 443, 0, DIGEST);
            byte[] good = DiscoveryDatagram.announce(peer);
            attacker.send(new DatagramPacket(good, good.length, to));
            await(heard, 1);
            assertThat(heard).extracting(Sighting::announcement).containsExactly(peer);
            Jobs.until("every hostile datagram refused", () -> d.refused() >= hostile.size());
            assertThat(d.refused()).isEqualTo(hostile.size());

            // A query is answered straight back, but a flood of them only once per asker in a while.
            byte[] query = DiscoveryDatagram.query("asker");
            for (int i = 0; i < 5; i++) {
                attacker.send(new DatagramPacket(query, query.length, to));
            }
            attacker.setSoTimeout(3000);
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            attacker.receive(reply);
            assertThat(DiscoveryDatagram.decode(reply.getData(), 0, reply.getLength()))
                    .isEqualTo(new DiscoveryDatagram.Announce(ours));
            attacker.setSoTimeout(500);
            assertThat(receivesAnother(attacker)).as("one answer to five quick queries").isFalse();
        }
    }

    @Test
    void datagramsFromOutsideTheChosenSubnetsAreIgnored() throws Exception {
        int port = freePort();
        List<Sighting> heard = new CopyOnWriteArrayList<>();
        LocalSubnet elsewhere = new LocalSubnet("eth9", (Inet4Address) InetAddress.getByName("10.250.0.1"), 24, null);
        try (BroadcastDiscovery d = BroadcastDiscovery.open(port, port, List.of(elsewhere), "ours", null, heard::add,
                Clock.systemUTC());
             DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] good = DiscoveryDatagram.announce(Announcement.of("peer", "Peer", "http", 80, 0, DIGEST));
            sender.send(new DatagramPacket(good, good.length, InetAddress.getLoopbackAddress(), port));
            Jobs.until("the datagram refused", () -> d.refused() >= 1);
            assertThat(d.refused()).isEqualTo(1);
            assertThat(heard).isEmpty();
        }
    }

    private static boolean receivesAnother(DatagramSocket s) throws Exception {
        try {
            s.receive(new DatagramPacket(new byte[2048], 2048));
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }
}
