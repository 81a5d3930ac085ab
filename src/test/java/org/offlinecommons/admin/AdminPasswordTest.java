package org.offlinecommons.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.offlinecommons.store.Library;

class AdminPasswordTest {

    @TempDir
    Path tmp;

    @Test
    void theFirstStartMakesUpAPasswordOnceAndKeepsOnlyItsHash() throws IOException {
        String made;
        try (Library library = Library.open(tmp)) {
            AdminPassword password = new AdminPassword(library, 1000);
            assertThat(password.isSet()).isFalse();
            made = password.createIfMissing().orElseThrow();
            assertThat(made).matches("[a-z2-9]{4}(-[a-z2-9]{4}){3}");
            assertThat(password.createIfMissing()).isEmpty();
            assertThat(password.check(made.toCharArray())).isTrue();
            assertThat(password.check("wrong".toCharArray())).isFalse();
            assertThat(library.setting(AdminPassword.SETTING)).get().asString().startsWith("pbkdf2-sha256$");
        }
        assertThat(contains(databaseBytes(tmp), made)).isFalse();
    }

    @Test
    void aNewPasswordReplacesTheOldAndChangesTheStamp() {
        try (Library library = Library.open(tmp)) {
            AdminPassword password = new AdminPassword(library, 1000);
            password.set("first password".toCharArray());
            String stamp = password.stamp();
            password.set("second password".toCharArray());
            assertThat(password.stamp()).isNotEqualTo(stamp).hasSize(16);
            assertThat(password.check("first password".toCharArray())).isFalse();
            assertThat(password.check("second password".toCharArray())).isTrue();
        }
    }

    @Test
    void tooShortOrTooLongPasswordsAreRefusedInWords() {
        try (Library library = Library.open(tmp)) {
            AdminPassword password = new AdminPassword(library, 1000);
            assertThatThrownBy(() -> password.set("short".toCharArray())).hasMessageContaining("at least 8");
            assertThatThrownBy(() -> password.set("x".repeat(201).toCharArray())).hasMessageContaining("at most 200");
            assertThat(password.isSet()).isFalse();
            assertThat(password.check("anything".toCharArray())).isFalse();
        }
    }

    @Test
    void aDamagedStoredPasswordLetsNobodyIn() {
        try (Library library = Library.open(tmp)) {
            library.putSetting(AdminPassword.SETTING, "garbage");
            AdminPassword password = new AdminPassword(library, 1000);
            assertThat(password.check("garbage".toCharArray())).isFalse();
            assertThat(password.check("".toCharArray())).isFalse();
        }
    }

    static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    static byte[] databaseBytes(Path dir) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("library.db")).toList()) {
                all.write(Files.readAllBytes(p));
            }
        }
        return all.toByteArray();
    }
}
