package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;

/** The small rules of the protocol: URLs, identity, digests, pull requests. */
class SyncProtocolTest {

    @TempDir
    Path tmp;

    @Test
    void peerUrlsAreNormalisedToTheFolderHoldingTheTree() {
        assertThat(PeerUrl.parse("10.0.0.2:8080")).isEqualTo(URI.create("http://10.0.0.2:8080"));
        assertThat(PeerUrl.parse(" http://school-b:8080/ ")).isEqualTo(URI.create("http://school-b:8080"));
        assertThat(PeerUrl.parse("http://host/usb/stick/")).isEqualTo(URI.create("http://host/usb/stick"));
        assertThat(PeerUrl.parse("http://host/stick/sync/v1/catalog.json")).isEqualTo(URI.create("http://host/stick"));
        assertThat(PeerUrl.parse("https://[::1]:9/sync/v1/")).isEqualTo(URI.create("https://[::1]:9"));
        assertThat(PeerUrl.resolve(PeerUrl.parse("http://host/stick"), SyncTree.CATALOG))
                .isEqualTo(URI.create("http://host/stick/sync/v1/catalog.json"));
    }

    @Test
    void malformedPeerUrlsAreRefused() {
        for (String bad : new String[] {"", "ftp://host/", "http://user:pw@host/", "http://host/?x=1", "http://h/#f",
                "http:///nohost", "http://exa mple/"}) {
            assertThatThrownBy(() -> PeerUrl.parse(bad)).as(bad).isInstanceOf(SyncException.class)
                    .extracting(e -> ((SyncException) e).reason()).isEqualTo(SyncException.Reason.BAD_REQUEST);
        }
    }

    @Test
    void theIdentityIsCreatedOnceAndKept() {
        ServerIdentity first;
        try (Library library = Library.open(tmp.resolve("lib"))) {
            first = ServerIdentity.of(library);
            assertThat(first.id()).matches("[0-9a-f]{32}");
            assertThat(first.name()).isNotBlank();
            ServerIdentity.rename(library, "  School B  ");
        }
        try (Library library = Library.open(tmp.resolve("lib"))) {
            assertThat(ServerIdentity.of(library)).isEqualTo(new ServerIdentity(first.id(), "School B"));
        }
        try (Library other = Library.open(tmp.resolve("other"))) {
            assertThat(ServerIdentity.of(other).id()).isNotEqualTo(first.id());
        }
    }

    @Test
    void aManifestCarriesPackJsonSoThatItsDigestComesOutTheSame() throws IOException {
        Path folder = tmp.resolve("folder");
        PackFixtures.write(folder, "index.html", "<title>Numbers</title>");
        PackFixtures.write(folder, "pack.json", "{\"x-rating\": 4.50, \"x-huge\": 123456789012345678901234567890,"
                + " \"x-sci\": 1.0e3, \"x-nested\": {\"b\": [0.1, -2E-7], \"a\": null}, \"x-text\": \"\\u00e9\\n\"}");
        try (Library library = Library.open(tmp.resolve("lib"))) {
            SyncFixtures.importFolder(library, folder, "numbers", "Numbers", 1, tmp);
            PackRecord pack = library.catalog().pack("numbers").orElseThrow();
            assertThat(library.catalog().manifest("numbers", pack.digest())).get().asString()
                    .contains("x-rating").contains("x-nested");
            assertThat(library.catalog().manifest("numbers", "another digest")).isEmpty();
            PeerManifest parsed = PeerManifest.parse(new LibraryTree(library).manifest(pack), "test");
            assertThat(parsed.digest()).isEqualTo(pack.digest());
            assertThat(parsed.recipes()).hasSize(1);
        }
    }

    @Test
    void pullRequestsAreRefusedUnlessAllowed_andOnlyFromTheServerTheyName() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress elsewhere = InetAddress.getByName("192.0.2.7");
        try (Library library = Library.open(tmp.resolve("lib"))) {
            assertThatThrownBy(() -> PullRequests.check(library, "http://127.0.0.1:8080", loopback))
                    .hasMessageContaining("does not accept sync requests");
            PullRequests.accept(library, true);
            assertThat(PullRequests.check(library, "http://127.0.0.1:8080/", loopback))
                    .isEqualTo(URI.create("http://127.0.0.1:8080"));
            assertThat(PullRequests.check(library, "http://localhost:8080", loopback))
                    .isEqualTo(URI.create("http://localhost:8080"));
            assertThatThrownBy(() -> PullRequests.check(library, "http://127.0.0.1:8080", elsewhere))
                    .hasMessageContaining("must name the server that sends it")
                    .extracting(e -> ((SyncException) e).reason()).isEqualTo(SyncException.Reason.REFUSED);
            assertThatThrownBy(() -> PullRequests.check(library, "http://192.0.2.8/", elsewhere))
                    .hasMessageContaining("came from 192.0.2.7");
            assertThatThrownBy(() -> PullRequests.check(library, "file:///etc/passwd", loopback))
                    .extracting(e -> ((SyncException) e).reason()).isEqualTo(SyncException.Reason.BAD_REQUEST);
            PullRequests.accept(library, false);
            assertThatThrownBy(() -> PullRequests.check(library, "http://127.0.0.1:8080", loopback))
                    .hasMessageContaining("does not accept");
        }
    }
}
