package org.offlinecommons.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --language}: a language the interface does not have is refused before anything starts. */
class ServeLanguageTest {

    @TempDir
    Path tmp;

    @Test
    void aLanguageWithoutATranslationIsRefusedNamingTheOnesThereAre() {
        Path data = tmp.resolve("data");
        CliTest.Run r = CliTest.run("serve", "--data", data.toString(), "--port", "0", "--language", "de");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--language: the interface has no translation for 'de'; it has en, ar,",
                "fr", "zh");
        assertThat(Files.exists(data)).as("nothing opened").isFalse();
    }

    @Test
    void theHelpNamesTheOption() {
        assertThat(CliTest.run("serve", "--help").out()).contains("--language=TAG");
    }
}
