package org.offlinecommons.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void aHashMatchesItsPasswordOnlyAndSurvivesBeingStored() {
        PasswordHash hash = PasswordHash.of("tulip garden 42".toCharArray(), 1000);
        PasswordHash stored = PasswordHash.parse(hash.encoded());
        assertThat(stored.matches("tulip garden 42".toCharArray())).isTrue();
        assertThat(stored.matches("tulip garden 43".toCharArray())).isFalse();
        assertThat(stored.matches("".toCharArray())).isFalse();
        assertThat(stored.iterations()).isEqualTo(1000);
        assertThat(hash.encoded()).startsWith("pbkdf2-sha256$1000$").doesNotContain("tulip");
    }

    @Test
    void theSamePasswordGetsADifferentSaltEachTime() {
        assertThat(PasswordHash.of("same".toCharArray(), 1000).encoded())
                .isNotEqualTo(PasswordHash.of("same".toCharArray(), 1000).encoded());
    }

    @Test
    void storedPasswordsUseTheSlowDefault() {
        assertThat(PasswordHash.ITERATIONS).isGreaterThanOrEqualTo(600_000);
    }

    @Test
    void damagedOrHostileStoredValuesAreRefused() {
        for (String bad : new String[] {null, "", "plain text", "pbkdf2-sha256$x$a$b", "md5$1$abc$def",
                "pbkdf2-sha256$2000000000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAA"}) {
            assertThatThrownBy(() -> PasswordHash.parse(bad)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
