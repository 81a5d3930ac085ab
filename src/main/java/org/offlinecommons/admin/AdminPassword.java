package org.offlinecommons.admin;

import java.security.SecureRandom;
import java.util.Optional;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Library;

/**
 * The admin's password, kept in the library's settings as a {@link PasswordHash} only. The
 * clear password exists in memory just long enough to hash or check it, and is shown once:
 * when the server makes one up on its first start.
 */
public final class AdminPassword {

    static final String SETTING = "admin.password";
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 200;
    /** No 0/O, 1/l/I: the password is read off a screen and typed on another machine. */
    private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Library library;
    private final int iterations;

    public AdminPassword(Library library) {
        this(library, PasswordHash.ITERATIONS);
    }

    /** A lower iteration count is for tests, which log in many times. */
    AdminPassword(Library library, int iterations) {
        this.library = library;
        this.iterations = iterations;
    }

    public boolean isSet() {
        return library.setting(SETTING).isPresent();
    }

    /**
     * Makes up a password if there is none yet and returns it, for the caller to show once;
     * empty if one was set before.
     */
    public synchronized Optional<String> createIfMissing() {
        // A library open read-only (full disk) cannot store one; it is made at the next start.
        if (isSet() || library.readOnly()) {
            return Optional.empty();
        }
        String password = generate();
        store(password.toCharArray());
        return Optional.of(password);
    }

    /** @throws IllegalArgumentException if the password is too short or too long, saying so */
    public void set(char[] password) {
        String problem = problem(password);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        store(password);
    }

    public boolean check(char[] password) {
        if (password == null || password.length == 0 || password.length > MAX_LENGTH) {
            return false;
        }
        Optional<String> stored = library.setting(SETTING);
        if (stored.isEmpty()) {
            return false;
        }
        PasswordHash hash;
        try {
            hash = PasswordHash.parse(stored.get());
        } catch (IllegalArgumentException e) {
            return false; // a damaged setting must not let anyone in; admin-password repairs it
        }
        return hash.matches(password);
    }

    /**
     * A short fingerprint of the stored hash (not of the password): it changes whenever the
     * password does, which ends every session opened with the old one.
     */
    public String stamp() {
        return library.setting(SETTING).map(s -> Hashes.sha256Hex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 16)).orElse("");
    }

    /** Why {@code password} cannot be the admin password, or null if it can. */
    public static String problem(char[] password) {
        if (password == null || password.length < MIN_LENGTH) {
            return "The password must have at least " + MIN_LENGTH + " characters";
        }
        if (password.length > MAX_LENGTH) {
            return "The password must have at most " + MAX_LENGTH + " characters";
        }
        return null;
    }

    /** 16 letters and digits in groups of four: about 79 bits, easy to copy by hand. */
    static String generate() {
        StringBuilder out = new StringBuilder(19);
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                out.append('-');
            }
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    private void store(char[] password) {
        library.putSetting(SETTING, PasswordHash.of(password, iterations).encoded());
    }
}
