package org.offlinecommons.zim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ZimLanguagesTest {
  @Test
  void iso6393CodesBecomeBcp47Tags() {
    assertThat(ZimLanguages.toBcp47("bel")).containsExactly("be");
    assertThat(ZimLanguages.toBcp47("eng,fra, deu")).containsExactly("en", "fr", "de");
    assertThat(ZimLanguages.toBcp47("zho")).containsExactly("zh");
    assertThat(ZimLanguages.toBcp47("cmn,ast")).containsExactly("cmn", "ast");
    assertThat(ZimLanguages.toBcp47("en")).containsExactly("en");
    assertThat(ZimLanguages.toBcp47("eng,eng")).containsExactly("en");
    assertThat(ZimLanguages.toBcp47("")).isEmpty();
    assertThat(ZimLanguages.toBcp47("x-1,<b>")).isEmpty();
  }
}
