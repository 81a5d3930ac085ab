package org.offlinecommons.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.admin.AdminPassword;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.sync.ServerIdentity;

/**
 * Discovery on a real (virtual) network: two network namespaces joined by a veth pair, the
 * real jar serving in each. Needs root (CI runs as root) and iproute2, nftables, curl and
 * python3-zeroconf (scripts/test installs them). The namespaces are made here and removed in
 * {@link #removeNetwork()}, whatever happened. Each server is reached with curl run inside its
 * namespace. nft counters in A's namespace count every multicast and broadcast packet it sends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiscoveryIT {

    static final String PASSWORD = "correct horse battery staple";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SUFFIX = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    static final String NS_A = "oc-it-a-" + SUFFIX;
    static final String NS_B = "oc-it-b-" + SUFFIX;
    static final String VETH_A = "ocva" + SUFFIX;
    static final String VETH_B = "ocvb" + SUFFIX;
    static final String NET = "10.213." + (1 + new SecureRandom().nextInt(250));
    static final String ADDRESS_A = NET + ".1";
    static final String ADDRESS_B = NET + ".2";

    @TempDir
    static Path tmp;
    static boolean networkMade;
    static Path dataA;
    static Path dataB;
    static String idA;
    static String idB;
    static final List<Process> servers = new ArrayList<>();

    @BeforeAll
    static void makeNetwork() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        networkMade = true;
        sh("ip", "netns", "add", NS_A);
        sh("ip", "netns", "add", NS_B);
        sh("ip", "link", "add", VETH_A, "type", "veth", "peer", "name", VETH_B);
        sh("ip", "link", "set", VETH_A, "netns", NS_A);
        sh("ip", "link", "set", VETH_B, "netns", NS_B);
        for (String[] side : new String[][] {{NS_A, VETH_A, ADDRESS_A}, {NS_B, VETH_B, ADDRESS_B}}) {
            // No IPv6: router solicitations and MLD reports would be multicast this test did not ask for.
            ns(side[0], "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1");
            ns(side[0], "ip", "link", "set", "lo", "up");
            ns(side[0], "ip", "addr", "add", side[2] + "/24", "brd", "+", "dev", side[1]);
            ns(side[0], "ip", "link", "set", side[1], "up");
            nft(side[0], "add table inet octest",
                    "add chain inet octest out { type filter hook output priority 0 ; }",
                    "add chain inet octest in { type filter hook input priority 0 ; }");
            countOutgoing(side[0]);
        }
        dataA = library("a", "rivers", "Rivers");
        dataB = library("b", "stars", "Stars");
        try (Library a = Library.open(dataA); Library b = Library.open(dataB)) {
            idA = ServerIdentity.of(a).id();
            idB = ServerIdentity.of(b).id();
        }
    }

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process p : servers) {
            p.destroy();
        }
        for (Process p : servers) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        servers.clear();
    }

    @AfterAll
    static void removeNetwork() throws Exception {
        if (!networkMade) {
            return;
        }
        // Deleting a namespace deletes the veth end inside it, and with it the pair.
        for (String ns : List.of(NS_A, NS_B)) {
            run("ip", "netns", "del", ns);
        }
        run("ip", "link", "del", VETH_A);
    }

    @Test
    @Order(1)
    void eachServerListsTheOtherAndASyncStartedThroughThePeersApiPullsAPackAcross() throws Exception {
        start(NS_A, dataA);
        start(NS_B, dataB);
        Admin a = new Admin(NS_A);
        Admin b = new Admin(NS_B);
        JsonNode bSeenByA = a.awaitPeer(idB, 10);
        JsonNode aSeenByB = b.awaitPeer(idA, 10);
        assertThat(bSeenByA.path("url").asText()).isEqualTo("http://" + ADDRESS_B + ":8080");
        assertThat(aSeenByB.path("url").asText()).isEqualTo("http://" + ADDRESS_A + ":8080");
        // Broadcast usually finds the peer first (a query is answered at once); mDNS follows within seconds.
        assertThat(a.awaitPeerWhere(idB, p -> p.path("sources").toString().contains("mdns"), 10)
                .path("sources").toString()).contains("mdns");
        assertThat(a.get("/api/v1/peers").path("discovery").path("multicast").asBoolean()).isTrue();

        JsonNode peer = a.awaitPeerWhere(idB, p -> p.path("theyHave").path("count").asInt() == 1, 10);
        assertThat(peer.path("theyHave").path("packs").get(0).path("id").asText()).isEqualTo("stars");
        JsonNode started = a.post("/api/v1/peers/" + peer.path("key").asText() + "/sync", "{\"packs\":[\"stars\"]}");
        String job = started.path("job").path("id").asText();
        JsonNode finished = a.awaitJob(job);
        assertThat(finished.path("state").asText()).as(finished.toString()).isEqualTo("SUCCEEDED");
        assertThat(a.get("/api/v1/packs").path("packs")).extracting(p -> p.path("id").asText())
                .containsExactlyInAnyOrder("rivers", "stars");

        // A client we did not write, browsing from the other namespace, sees A's service and TXT record
        // (with the new pack count: the catalog changed, so A announced again).
        Path script = tmp.resolve("browse.py");
        try (InputStream in = DiscoveryIT.class.getResourceAsStream("/discovery/browse.py")) {
            Files.copy(in, script);
        }
        String seen = "";
        for (int attempt = 0; attempt < 5 && !seen.contains("TXT packs 2"); attempt++) {
            seen = output(List.of("ip", "netns", "exec", NS_B, "/usr/bin/python3", script.toString(), "8"));
        }
        assertThat(seen).contains("._offline-commons._tcp.local. 8080 " + ADDRESS_A, "TXT id " + idA,
                "TXT proto 1", "TXT scheme http", "TXT txtvers 1", "TXT packs 2", "TXT name ");
        assertThat(seen).containsPattern("TXT digest [0-9a-f]{64}");

        // The counters work: the control for the --no-discovery test below.
        assertThat(counter(NS_A, "multicast")).isPositive();
        assertThat(counter(NS_A, "broadcast")).isPositive();
    }

    @Test
    @Order(2)
    void withMulticastDroppedOnTheLinkThePeersStillFindEachOtherByBroadcast() throws Exception {
        for (String ns : List.of(NS_A, NS_B)) {
            nft(ns, "add rule inet octest out ip daddr 224.0.0.0/4 drop",
                    "add rule inet octest in ip daddr 224.0.0.0/4 drop");
        }
        start(NS_A, dataA);
        start(NS_B, dataB);
        Admin a = new Admin(NS_A);
        Admin b = new Admin(NS_B);
        JsonNode bSeenByA = a.awaitPeer(idB, 10);
        JsonNode aSeenByB = b.awaitPeer(idA, 10);
        assertThat(bSeenByA.path("sources").toString()).isEqualTo("[\"broadcast\"]");
        assertThat(aSeenByB.path("sources").toString()).isEqualTo("[\"broadcast\"]");
        assertThat(bSeenByA.path("reachable").asBoolean()).isTrue();
    }

    @Test
    @Order(3)
    void aServerStartedWithNoDiscoverySendsNoMulticastOrBroadcastPacket() throws Exception {
        // The kernel repeats the IGMP "leave" of the previous server's mDNS group for a second or two
        // after that server exited: let it finish, so that only what the new server sends is counted.
        Thread.sleep(4000);
        nft(NS_A, "flush chain inet octest out"); // counters from zero, and multicast no longer dropped
        countOutgoing(NS_A);
        assertThat(counter(NS_A, "multicast") + counter(NS_A, "broadcast") + counter(NS_A, "limited")).isZero();
        start(NS_A, dataA, "--no-discovery");
        Admin a = new Admin(NS_A);
        JsonNode discovery = a.get("/api/v1/peers").path("discovery");
        assertThat(discovery.path("enabled").asBoolean()).isFalse();
        // A change of the catalog is when a server with discovery would announce again.
        a.send("DELETE", "/api/v1/packs/rivers", null);
        Thread.sleep(7000);
        assertThat(counter(NS_A, "multicast")).isZero();
        assertThat(counter(NS_A, "broadcast")).isZero();
        assertThat(counter(NS_A, "limited")).isZero();
    }

    // --- Helpers

    static Path library(String name, String packId, String title) throws Exception {
        Path data = tmp.resolve("data-" + name);
        Path folder = tmp.resolve(packId);
        PackFixtures.write(folder, "index.html", "<title>" + title + "</title><p>" + title + " for the IT.</p>");
        try (Library library = Library.open(data)) {
            new PackImporter(library).importPack(PackFixtures.build(folder, packId, title,
                    tmp.resolve(packId + ".zip")), ProgressListener.NONE);
            new AdminPassword(library).set(PASSWORD.toCharArray());
        }
        return data;
    }

    static void start(String ns, Path data, String... more) throws IOException {
        Path noPacks = Files.createDirectories(tmp.resolve("no-packs"));
        List<String> args = new ArrayList<>(List.of("serve", "--data", data.toString(), "--packs", noPacks.toString(),
                "--port", "8080"));
        args.addAll(List.of(more));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(JarProcess.command(List.of("-Xmx192m"), args.toArray(String[]::new)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        servers.add(p);
        JarProcess.awaitUrl(p);
    }

    /** The admin of the server in one namespace, through curl run inside it. */
    static final class Admin {
        final String ns;
        final Path cookies;
        final String csrf;

        Admin(String ns) throws Exception {
            this.ns = ns;
            this.cookies = Files.createTempFile(tmp, "cookies", ".txt");
            JsonNode login = JSON.readTree(curl("POST", "/admin/login", "{\"password\":\"" + PASSWORD + "\"}", false));
            this.csrf = login.path("csrfToken").asText();
            assertThat(csrf).as(login.toString()).isNotEmpty();
        }

        JsonNode get(String path) throws Exception {
            return JSON.readTree(curl("GET", path, null, true));
        }

        JsonNode post(String path, String body) throws Exception {
            return send("POST", path, body);
        }

        JsonNode send(String method, String path, String body) throws Exception {
            return JSON.readTree(curl(method, path, body, true));
        }

        JsonNode awaitPeer(String serverId, int seconds) throws Exception {
            return awaitPeerWhere(serverId, p -> true, seconds);
        }

        JsonNode awaitPeerWhere(String serverId, java.util.function.Predicate<JsonNode> test, int seconds)
                throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            JsonNode last = null;
            do {
                last = get("/api/v1/peers");
                for (JsonNode p : last.path("peers")) {
                    if (serverId.equals(p.path("serverId").asText()) && test.test(p)) {
                        return p;
                    }
                }
                Thread.sleep(250);
            } while (System.nanoTime() < deadline);
            throw new AssertionError(ns + " did not list " + serverId + " within " + seconds + " s: " + last);
        }

        JsonNode awaitJob(String id) throws Exception {
            for (int i = 0; i < 240; i++) {
                JsonNode s = get("/api/v1/jobs/" + id);
                if (s.path("state").asText().equals("SUCCEEDED") || s.path("state").asText().equals("FAILED")) {
                    return s;
                }
                Thread.sleep(250);
            }
            throw new AssertionError("job " + id + " did not finish");
        }

        private String curl(String method, String path, String body, boolean session) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "curl", "-sS", "-m", "20",
                    "-X", method, "-c", cookies.toString(), "-b", cookies.toString(),
                    "-H", "Content-Type: application/json"));
            if (session) {
                cmd.addAll(List.of("-H", "X-CSRF-Token: " + csrf));
            }
            if (body != null) {
                cmd.addAll(List.of("--data-binary", body));
            }
            cmd.add("http://127.0.0.1:8080" + path);
            return output(cmd);
        }
    }

    /** Counters of what the namespace sends to multicast groups, its subnet's broadcast address and 255.255.255.255. */
    static void countOutgoing(String ns) throws Exception {
        nft(ns, "add rule inet octest out ip daddr 224.0.0.0/4 counter comment \"multicast\"",
                "add rule inet octest out ip daddr " + NET + ".255 counter comment \"broadcast\"",
                "add rule inet octest out ip daddr 255.255.255.255 counter comment \"limited\"");
    }

    static long counter(String ns, String comment) throws Exception {
        String table = output(List.of("ip", "netns", "exec", ns, "nft", "list", "table", "inet", "octest"));
        Matcher m = Pattern.compile("counter packets (\\d+) bytes \\d+ comment \"" + comment + "\"").matcher(table);
        assertThat(m.find()).as(table).isTrue();
        return Long.parseLong(m.group(1));
    }

    static void nft(String ns, String... commands) throws Exception {
        Path file = Files.createTempFile(tmp, "nft", ".txt");
        Files.writeString(file, String.join("\n", commands) + "\n");
        sh("ip", "netns", "exec", ns, "nft", "-f", file.toString());
    }

    static void ns(String ns, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        sh(cmd.toArray(String[]::new));
    }

    static void sh(String... command) throws Exception {
        int code = run(command);
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + code);
        }
    }

    static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    static String output(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
