package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.offlinecommons.pack.PackImporter;
import org.offlinecommons.pack.ZimTestFiles;
import org.offlinecommons.store.ProgressListener;

/** A ZIM's pack in the library's pages: its illustration as the card's icon, its articles found by search. */
class ZimPagesTest {

    @RegisterExtension
    static final TestServer server = TestServer.secure().with((library, dir) -> new PackImporter(library)
            .importPack(ZimTestFiles.SAMPLES.resolve("nons/wikibooks_be_all_nopic_2017-02.zim"), ProgressListener.NONE));

    @Test
    void theIllustrationIsThePacksIconOnTheHomePage() throws Exception {
        HttpResponse<String> home = server.http().get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("<img class=\"tile\" src=\"/packs/kiwix-wikibooks-be-all/illustration-48x48.png\"");
        HttpResponse<byte[]> icon = server.http().bytes("GET", "/packs/kiwix-wikibooks-be-all/illustration-48x48.png",
                null);
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/png");
    }

    @Test
    void theMainPageIsTheFirstItemAndOpensInTheReader() throws Exception {
        HttpResponse<String> pack = server.http().get("/pack/kiwix-wikibooks-be-all");
        assertThat(pack.statusCode()).isEqualTo(200);
        // An HTML item opens as the page itself, so that its relative links work.
        HttpResponse<String> read = server.http().get("/read/kiwix-wikibooks-be-all/0");
        assertThat(read.statusCode()).isEqualTo(302);
        assertThat(read.headers().firstValue("Location")).hasValue("/packs/kiwix-wikibooks-be-all/"
                + org.offlinecommons.web.content.ContentUrls.encodePath("Першая_старонка.html"));
    }

    @Test
    void searchFindsWordsFromTheZimsPages() throws Exception {
        HttpResponse<String> found = server.http().get("/search?q=" + java.net.URLEncoder.encode("гарбуза",
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).contains("Суп з гарбуза");
    }
}
