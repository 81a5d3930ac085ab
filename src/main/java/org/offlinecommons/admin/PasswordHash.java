package org.offlinecommons.admin;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A password stored as a PBKDF2-HMAC-SHA256 key: slow to compute on purpose, so a stolen copy
 * of the database costs an attacker years of guessing rather than minutes. The iteration count
 * travels with the hash, so it can be raised later without breaking stored passwords.
 */
public final class PasswordHash {

    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256: about a quarter of a second on a laptop. */
    public static final int ITERATIONS = 600_000;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final String PREFIX = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;
    /** Parsing a stored value must never start an hour-long computation. */
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] key;

    private PasswordHash(int iterations, byte[] salt, byte[] key) {
        this.iterations = iterations;
        this.salt = salt;
        this.key = key;
    }

    public static PasswordHash of(char[] password) {
        return of(password, ITERATIONS);
    }

    /** Fewer iterations are for tests only: every stored password uses {@link #ITERATIONS}. */
    static PasswordHash of(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    public boolean matches(char[] password) {
        return MessageDigest.isEqual(key, derive(password, salt, iterations));
    }

    public int iterations() {
        return iterations;
    }

    /** {@code pbkdf2-sha256$ITERATIONS$SALT$KEY} (base64): what the library stores. */
    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
    }

    /** @throws IllegalArgumentException if {@code text} is not what {@link #encoded()} writes */
    public static PasswordHash parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            throw new IllegalArgumentException("not a stored password hash");
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] key = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length < 8 || key.length != KEY_BITS / 8) {
                throw new IllegalArgumentException("stored password hash has impossible parameters");
            }
            return new PasswordHash(iterations, salt, key);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stored password hash has a bad iteration count");
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is missing from this Java runtime", e);
        } finally {
            spec.clearPassword();
        }
    }
}
