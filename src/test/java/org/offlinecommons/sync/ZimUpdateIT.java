package org.offlinecommons.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.ImportResult;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryVerifier;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.web.WebServer;
import org.offlinecommons.zim.ZimTestWriter;

/**
 * A ZIM and a newer ZIM of the same name that share most content: the second import stores only the
 * difference (chunk dedupe), and a second real server syncing the update from the first moves only it.
 */
class ZimUpdateIT {

    @TempDir
    Path tmp;

    @Test
    void aNewerZimStoresAndSyncsOnlyWhatChanged() throws Exception {
        Path site = tmp.resolve("site");
        PackFixtures.write(site, "index.html", "<title>Rivers</title><p>Start here.</p>");
        for (int i = 0; i < 300; i++) {
            PackFixtures.write(site, "pages/p" + i + ".html", "<title>River " + i + "</title><p>About deltas and"
                    + " floods, river" + i + "word.</p>" + "<p>Long enough text to matter.</p>".repeat(50));
        }
        for (int i = 0; i < 8; i++) {
            PackFixtures.writeRandom(site, "media/clip-" + i + ".bin", 1_000_000, i);
        }
        Path v1 = ZimTestWriter.write(site, Map.of("old/start.html", "index.html"), "oc_rivers", "Rivers",
                "2026-01-05", "index.html", tmp.resolve("rivers_2026-01.zim"));
        for (int i = 10; i < 13; i++) {
            PackFixtures.write(site, "pages/p" + i + ".html", "<title>Changed " + i + "</title><p>newword" + i
                    + "</p>");
        }
        Path v2 = ZimTestWriter.write(site, Map.of("old/start.html", "index.html"), "oc_rivers", "Rivers",
                "2026-02-07", "index.html", tmp.resolve("rivers_2026-02.zim"));

        try (Library peerLibrary = Library.open(tmp.resolve("peer-data")); JobRunner peerJobs = new JobRunner();
             WebServer peer = WebServer.start(peerLibrary, peerJobs, WebServer.Options.withoutLogin("127.0.0.1", 0));
             CountingProxy proxy = new CountingProxy(peer.port());
             SyncIT.Server here = SyncIT.Server.start(tmp.resolve("here-data"))) {
            ImportResult first = new PackImporter(peerLibrary).importPack(v1, ProgressListener.NONE);
            assertThat(first.packId()).isEqualTo("oc-rivers");
            assertThat(first.version()).isEqualTo(20260105L);
            long total = first.totalBytes();
            assertThat(first.storedBytes()).isGreaterThan(total / 2);

            JsonNode sync1 = here.sync("{\"peer\": \"" + proxy.url() + "\", \"packs\": [\"oc-rivers\"]}");
            assertThat(sync1.path("job").path("state").asText()).as(sync1.toString()).isEqualTo("SUCCEEDED");
            long firstPull = proxy.bytesFromPeer();
            assertThat(firstPull).isGreaterThan(total / 2);

            ImportResult second = new PackImporter(peerLibrary).importPack(v2, ProgressListener.NONE);
            assertThat(second.outcome()).isEqualTo(ImportResult.Outcome.UPDATED);
            assertThat(second.version()).isEqualTo(20260207L);
            assertThat(second.storedBytes()).as("stored for the update").isLessThan(total / 20);

            proxy.resetCount();
            JsonNode sync2 = here.sync("{\"peer\": \"" + proxy.url() + "\", \"packs\": [\"oc-rivers\"]}");
            assertThat(sync2.path("job").path("state").asText()).as(sync2.toString()).isEqualTo("SUCCEEDED");
            assertThat(sync2.path("sync").path("packs").get(0).path("state").asText()).isEqualTo("UPDATED");
            assertThat(proxy.bytesFromPeer()).as("moved for the update").isLessThan(firstPull / 10);

            Library library = here.library();
            assertThat(library.catalog().pack("oc-rivers").orElseThrow().digest())
                    .isEqualTo(peerLibrary.catalog().pack("oc-rivers").orElseThrow().digest());
            assertThat(library.search().search("newword11", null, 10, 0).total()).isEqualTo(1);
            assertThat(new LibraryVerifier(library).verify(ProgressListener.NONE).problems()).isEmpty();
            var redirect = here.http().get("/packs/oc-rivers/old/start.html");
            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Location")).hasValue("/packs/oc-rivers/index.html");
        }
    }
}
