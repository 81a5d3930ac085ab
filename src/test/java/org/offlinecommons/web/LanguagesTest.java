package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which language a visitor gets: the menu's cookie, then Accept-Language (RFC 4647 lookup), then the default. */
class LanguagesTest {

    private static final Languages LANGUAGES = Languages.load(Locale.ENGLISH);

    @Test
    void everyBundleOnTheClassPathIsALanguageEnglishFirst() {
        assertThat(LANGUAGES.tags()).startsWith("en")
                .contains("fr", "es", "pt", "ar", "sw", "hi", "zh", "id", "ru", "bn").doesNotHaveDuplicates();
        assertThat(LANGUAGES.messages("ar").dir()).isEqualTo("rtl");
        assertThat(LANGUAGES.messages("zh").locale().toLanguageTag()).isEqualTo("zh-Hans");
    }

    @ParameterizedTest(name = "Accept-Language: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "fr                                  | fr",
            "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7 | fr",
            "pt-BR                               | pt",
            "pt-BR,pt;q=0.9                      | pt",
            "es-419,es;q=0.9                     | es",
            "zh-CN,zh;q=0.9                      | zh",
            "zh-TW                               | zh",
            "AR-eg                               | ar",
            "de-DE,de;q=0.9,ar;q=0.5             | ar",
            "de,sw;q=0.2                         | sw",
            "fr;q=0.1,es;q=0.9                   | es",
            "fr;q=0,es;q=0.5                     | es",
            "en-GB,fr;q=0.8                      | en",
            "hi-IN                               | hi",
            "bn-BD,en;q=0.5                      | bn",
            "id,ms;q=0.5                         | id",
            "ru-RU                               | ru",
            "de                                  | en",
            "*                                   | en",
            "x-klingon                           | en",
            "'fr;q=2, ,;;'                       | en",
            "'   '                               | en",
    })
    void acceptLanguageWithQualitiesAndFallbacks(String header, String expected) {
        assertThat(LANGUAGES.choose(null, header)).isEqualTo(expected);
    }

    @Test
    void theMenusCookieWinsOverTheBrowserWhenItNamesALanguageWeHave() {
        assertThat(LANGUAGES.choose("ar", "fr")).isEqualTo("ar");
        assertThat(LANGUAGES.choose("de", "fr")).isEqualTo("fr");
        assertThat(LANGUAGES.choose("../../etc", null)).isEqualTo("en");
        assertThat(LANGUAGES.choose(null, null)).isEqualTo("en");
    }

    @Test
    void theServersDefaultAnswersWhenTheBrowserAsksForNoneWeHave() {
        Languages french = Languages.load(Locale.forLanguageTag("fr-CA"));
        assertThat(french.serverDefault()).isEqualTo("fr");
        assertThat(french.choose(null, "de-DE")).isEqualTo("fr");
        assertThat(french.choose(null, null)).isEqualTo("fr");
        assertThat(french.choose(null, "es")).isEqualTo("es");
        assertThat(Languages.load(Locale.GERMAN).serverDefault()).isEqualTo("en");
    }

    @Test
    void aHeaderLongerThanAnyBrowserSendsIsNotParsed() {
        String huge = "de;q=0.5,".repeat(200) + "fr";
        assertThat(huge.length()).isGreaterThan(Languages.MAX_ACCEPT_LANGUAGE_CHARS);
        assertThat(LANGUAGES.choose(null, huge)).isEqualTo("en");
    }

    @Test
    void languageNamesAreInTheInterfacesLanguageAndTheMenuInEachOwn() {
        assertThat(LANGUAGES.messages("fr").languageName("ar")).isEqualTo("Arabe");
        assertThat(LANGUAGES.messages("en").languageName("ar")).isEqualTo("Arabic");
        assertThat(LANGUAGES.messages("ar").languageName("fr")).isEqualTo("الفرنسية");
        assertThat(LANGUAGES.messages("fr").languageName("pt-BR")).isEqualTo("Portugais brésilien");
        assertThat(LANGUAGES.autonym("fr")).isEqualTo("Français");
        assertThat(LANGUAGES.autonym("ar")).isEqualTo("العربية");
        assertThat(LANGUAGES.autonym("hi")).isEqualTo("हिन्दी");
    }

    @Test
    void packTextTakesItsLanguagesDirection() {
        assertThat(TextDirection.of("ar")).isEqualTo("rtl");
        assertThat(TextDirection.of("fa-IR")).isEqualTo("rtl");
        assertThat(TextDirection.of("ur")).isEqualTo("rtl");
        assertThat(TextDirection.of("he")).isEqualTo("rtl");
        assertThat(TextDirection.of("fr")).isEqualTo("ltr");
        assertThat(TextDirection.of("zh-Hans")).isEqualTo("ltr");
        assertThat(TextDirection.of("und")).isEqualTo("auto");
        assertThat(TextDirection.of(null)).isEqualTo("auto");
    }
}
