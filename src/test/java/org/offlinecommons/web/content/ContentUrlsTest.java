package org.offlinecommons.web.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentUrlsTest {

    @Test
    void quotesWhatAPathCannotCarryAndKeepsTheRest() {
        assertThat(ContentUrls.encodePath("docs/a-b_c~d.1.html")).isEqualTo("docs/a-b_c~d.1.html");
        assertThat(ContentUrls.encodePath("notes/a b?c#d;e.html")).isEqualTo("notes/a%20b%3Fc%23d%3Be.html");
        assertThat(ContentUrls.encodePath("élèves/植物.html")).isEqualTo("%C3%A9l%C3%A8ves/%E6%A4%8D%E7%89%A9.html");
        assertThat(ContentUrls.file("p", "A/Mona_Lisa")).isEqualTo("/packs/p/A/Mona_Lisa");
    }

    @Test
    void givesWhatTheUriClassGivesForAnyPath() throws Exception {
        // The reference: the URI class on every path, as before plain paths were let through as they are.
        String alphabet = "abcXYZ019-._~/ %?#;:@!$&'()*+,=[]\"<>\\^`{|}é植\u0085";
        Random random = new Random(7);
        for (int n = 0; n < 5_000; n++) {
            StringBuilder path = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int i = 0; i < length; i++) {
                path.append(alphabet.charAt(random.nextInt(random.nextInt(4) == 0 ? alphabet.length() : 15)));
            }
            // Pack paths never start with '/' (the URI class would read "//x" as a host).
            String p = path.charAt(0) == '/' ? "x" + path : path.toString();
            String expected = new URI(null, null, "/" + p, null).toASCIIString().substring(1)
                    .replace("?", "%3F").replace("#", "%23").replace(";", "%3B");
            assertThat(ContentUrls.encodePath(p)).as(p).isEqualTo(expected);
        }
    }
}
