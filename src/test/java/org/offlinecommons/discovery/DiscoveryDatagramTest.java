package org.offlinecommons.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The broadcast datagram format: what we send comes back the same, and anything else is refused. */
class DiscoveryDatagramTest {

    static final String DIGEST = "a".repeat(64);
    static final Announcement SCHOOL = Announcement.of("a51e73638c7f2993a0b1f6fd96b9d6b5", "École du Lac \u2014 salle 2",
            "http", 8080, 12, DIGEST);

    static DiscoveryDatagram.Message decode(String json) throws DiscoveryDatagram.BadDatagramException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return DiscoveryDatagram.decode(b, 0, b.length);
    }

    @Test
    void anAnnouncementAndAQueryComeBackAsTheyWereSent() throws Exception {
        byte[] a = DiscoveryDatagram.announce(SCHOOL);
        assertThat(a.length).isLessThanOrEqualTo(DiscoveryDatagram.MAX_BYTES);
        assertThat(new String(a, StandardCharsets.UTF_8)).startsWith("{\"oc\":1,\"type\":\"announce\"");
        assertThat(DiscoveryDatagram.decode(a, 0, a.length)).isEqualTo(new DiscoveryDatagram.Announce(SCHOOL));
        byte[] q = DiscoveryDatagram.query("browser-1");
        assertThat(DiscoveryDatagram.decode(q, 0, q.length)).isEqualTo(new DiscoveryDatagram.Query("browser-1"));
    }

    @Test
    void theLongestNameStillFitsOneDatagram() throws Exception {
        Announcement longest = Announcement.of("x".repeat(128), "\u00e9".repeat(500), "https", 65535, 10_000_000, DIGEST);
        assertThat(longest.name().getBytes(StandardCharsets.UTF_8)).hasSize(Announcement.MAX_NAME_BYTES);
        byte[] a = DiscoveryDatagram.announce(longest);
        assertThat(a.length).isLessThanOrEqualTo(DiscoveryDatagram.MAX_BYTES);
        assertThat(((DiscoveryDatagram.Announce) DiscoveryDatagram.decode(a, 0, a.length)).announcement())
                .isEqualTo(longest);
    }

    @Test
    void unknownFieldsAreIgnoredForLaterVersions() throws Exception {
        String json = "{\"oc\":1,\"type\":\"announce\",\"id\":\"s1\",\"name\":\"A\",\"proto\":1,\"scheme\":\"http\","
                + "\"port\":80,\"packs\":0,\"digest\":\"" + DIGEST + "\",\"later\":{\"x\":[1,2]}}";
        assertThat(decode(json)).isInstanceOf(DiscoveryDatagram.Announce.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "[1,2,3]",
            "\"a string\"",
            "{}",
            "{\"oc\":2,\"type\":\"query\",\"id\":\"x\"}",
            "{\"oc\":\"1\",\"type\":\"query\",\"id\":\"x\"}",
            "{\"oc\":1,\"type\":\"query\"}",
            "{\"oc\":1,\"type\":\"query\",\"id\":\"\"}",
            "{\"oc\":1,\"type\":\"query\",\"id\":\"a\\u0000b\"}",
            "{\"oc\":1,\"type\":\"bye\",\"id\":\"x\"}",
            "{\"oc\":1,\"oc\":1,\"type\":\"query\",\"id\":\"x\"}",
            "{\"oc\":1,\"type\":\"query\",\"id\":\"x\"} trailing",
            "{\"oc\":1,\"type\":\"announce\",\"id\":\"s\",\"name\":\"A\",\"proto\":1,\"scheme\":\"http\",\"port\":0,"
                    + "\"packs\":0,\"digest\":\"@D@\"}",
            "{\"oc\":1,\"type\":\"announce\",\"id\":\"s\",\"name\":\"A\",\"proto\":1,\"scheme\":\"ftp\",\"port\":80,"
                    + "\"packs\":0,\"digest\":\"@D@\"}",
            "{\"oc\":1,\"type\":\"announce\",\"id\":\"s\",\"name\":\"A\",\"proto\":1,\"scheme\":\"http\",\"port\":80,"
                    + "\"packs\":-1,\"digest\":\"@D@\"}",
            "{\"oc\":1,\"type\":\"announce\",\"id\":\"s\",\"name\":\"A\",\"proto\":1,\"scheme\":\"http\",\"port\":80,"
                    + "\"packs\":99999999999999999999,\"digest\":\"@D@\"}",
            "{\"oc\":1,\"type\":\"announce\",\"id\":\"s\",\"name\":\"A\",\"proto\":1,\"scheme\":\"http\",\"port\":80.5,"
                    + "\"packs\":1,\"digest\":\"@D@\"}",
            "{\"oc\":1,\"type\":\"announce\",\"id\":\"s\",\"name\":\"A\",\"proto\":1,\"scheme\":\"http\",\"port\":80,"
                    + "\"packs\":1,\"digest\":\"@U@\"}",
            "{\"oc\":1,\"type\":\"announce\",\"id\":\"s\",\"name\":\"line\\nbreak\",\"proto\":1,\"scheme\":\"http\","
                    + "\"port\":80,\"packs\":1,\"digest\":\"@D@\"}",
            "{\"oc\":1,\"type\":\"announce\",\"id\":\"s\",\"proto\":1,\"scheme\":\"http\",\"port\":80,\"packs\":1,"
                    + "\"digest\":\"@D@\"}",
            "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{}}}}},\"oc\":1,\"type\":\"query\",\"id\":\"x\"}",
    })
    void hostileOrForeignDatagramsAreRefused(String json) {
        String filled = json.replace("@D@", DIGEST).replace("@U@", DIGEST.toUpperCase());
        assertThatThrownBy(() -> decode(filled)).isInstanceOf(DiscoveryDatagram.BadDatagramException.class);
    }

    @Test
    void anOversizedDatagramIsRefusedBeforeItIsParsed() {
        byte[] big = ("{\"oc\":1,\"type\":\"query\",\"id\":\"" + "x".repeat(DiscoveryDatagram.MAX_BYTES) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> DiscoveryDatagram.decode(big, 0, big.length))
                .isInstanceOf(DiscoveryDatagram.BadDatagramException.class).hasMessageContaining("larger than");
    }

    @Test
    void randomBytesNeverThrowAnythingElse() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[random.nextInt(DiscoveryDatagram.MAX_BYTES + 2)];
            random.nextBytes(b);
            if (i % 2 == 0 && b.length > 2) {
                b[0] = '{';
            }
            try {
                DiscoveryDatagram.decode(b, 0, b.length);
            } catch (DiscoveryDatagram.BadDatagramException expected) {
                // the only way it may fail
            }
        }
    }
}
