package org.offlinecommons.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.pack.PackFixtures;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.store.ProgressListener;
import org.offlinecommons.web.TestServer;
import org.offlinecommons.sync.SyncTree;

/** The sync and mirror commands in-process; pulls over a network are in the sync ITs. */
class SyncCommandTest {

    @TempDir
    Path tmp;

    private static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    @Test
    void bothCommandsExplainThemselves() {
        assertThat(run("sync", "--help").out()).contains("Usage: offline-commons sync").contains("--dry-run")
                .contains("--both").contains("--pack");
        assertThat(run("mirror", "--help").out()).contains("Usage: offline-commons mirror").contains("sync/v1");
        assertThat(run("serve", "--help").out()).contains("--accept-sync-requests");
    }

    @Test
    void mirrorWritesTheTree_andSyncNamesWhatIsWrongWithAPeer() throws Exception {
        Path site = PackFixtures.smallSite(tmp.resolve("site"));
        Path zip = PackFixtures.build(site, "garden", "Garden", tmp.resolve("garden.zip"));
        String data = tmp.resolve("data").toString();
        assertThat(run("import", zip.toString(), "--data", data).code()).isZero();

        CliTest.Run mirror = run("mirror", tmp.resolve("stick").toString(), "--data", data);
        assertThat(mirror.code()).as(mirror.err()).isZero();
        assertThat(mirror.out()).contains("Mirrored 1 packs");
        assertThat(Files.exists(tmp.resolve("stick").resolve(SyncTree.manifest("garden", 1)))).isTrue();
        assertThat(run("mirror", tmp.resolve("stick").toString(), "--pack", "nope", "--data", data).code())
                .isEqualTo(Main.EXIT_REFUSED);

        CliTest.Run badUrl = run("sync", "ftp://somewhere", "--data", data);
        assertThat(badUrl.code()).isEqualTo(Main.EXIT_REFUSED);
        assertThat(badUrl.err()).contains("http://");
        CliTest.Run nobody = run("sync", "http://127.0.0.1:9", "--data", data);
        assertThat(nobody.code()).isEqualTo(Main.EXIT_REFUSED);
        assertThat(nobody.err()).contains("cannot connect").contains("Nothing was changed");
    }

    static final String TOKEN = "0123456789abcdef0123456789abcdef";

    /** A peer that shares only with its sync token. */
    @RegisterExtension
    static final TestServer peer = TestServer.secure().options(o -> o.withSyncToken(TOKEN)).with((library, dir) ->
            new PackImporter(library).importPack(PackFixtures.build(PackFixtures.smallSite(dir.resolve("site")),
                    "garden", "Garden", dir.resolve("garden.zip")), ProgressListener.NONE));

    @Test
    void aPeerWithASyncTokenIsPulledFromWithTheTokenFileAndRefusedWithoutIt() throws Exception {
        String token = TOKEN;
        Path tokenFile = Files.writeString(tmp.resolve("token"), token + "\n");
        Path wrongFile = Files.writeString(tmp.resolve("wrong"), token + "x\n");
        String here = tmp.resolve("here").toString();
        String url = peer.url();

        CliTest.Run none = run("sync", url, "--data", here);
        assertThat(none.code()).isEqualTo(Main.EXIT_REFUSED);
        assertThat(none.err()).contains("sync token").contains("--token-file").contains("Nothing was changed");
        CliTest.Run wrong = run("sync", url, "--token-file", wrongFile.toString(), "--data", here);
        assertThat(wrong.code()).isEqualTo(Main.EXIT_REFUSED);
        assertThat(run("list", "--data", here).out()).doesNotContain("garden");

        CliTest.Run right = run("sync", url, "--token-file", tokenFile.toString(), "--data", here);
        assertThat(right.code()).as(right.err()).isZero();
        assertThat(run("list", "--data", here).out()).contains("garden");
        assertThat(right.out() + right.err()).as("the token is never printed").doesNotContain(token);
    }

    @Test
    void theCommandKeepsItsReserveAsTheServerDoesAndRefusesBeforeStoringAnything() throws Exception {
        Path tokenFile = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
        String here = tmp.resolve("cramped").toString();
        CliTest.Run cramped = run("sync", peer.url(), "--token-file", tokenFile.toString(), "--reserve", "1000TB",
                "--data", here);
        assertThat(cramped.code()).isEqualTo(Main.EXIT_REFUSED);
        assertThat(cramped.out()).contains("failed").contains("pack 'garden' version 1: needs ")
                .contains("plus a reserve of 1000 TB), but only", "free some space or delete packs");
        assertThat(run("list", "--data", here).out()).doesNotContain("garden");
        assertThat(run("sync", peer.url(), "--reserve", "lots", "--data", here).err()).contains("--reserve");
    }
}
