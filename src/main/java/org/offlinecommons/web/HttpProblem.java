package org.offlinecommons.web;

import java.util.Arrays;

/**
 * An error found while handling a request, with the HTTP status it deserves.
 *
 * <p>What a person reads is a message key of {@code web/messages.properties} with its arguments
 * ({@link #said}), written in the language of the request when it is answered ({@link #message}).
 * Only answers for other programs (the sync protocol between servers) may carry a fixed English
 * sentence ({@link #HttpProblem(int, String, String)}); docs/translating.md says which.
 */
public class HttpProblem extends RuntimeException {
    private final int status;
    private final String code;
    /** The message's key, or null for a fixed sentence. */
    private final String key;
    private final Object[] args;

    /** A fixed sentence, for answers only other programs read. */
    public HttpProblem(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.key = null;
        this.args = new Object[0];
    }

    private HttpProblem(int status, String code, String key, Object[] args) {
        // The log's line: the key and its arguments, the same in every language.
        super(key + (args.length == 0 ? "" : " " + Arrays.toString(args)));
        this.status = status;
        this.code = code;
        this.key = key;
        this.args = args.clone();
    }

    /** A refusal a person may read: the message {@code key} of the bundles, with {@code args}. */
    public static HttpProblem said(int status, String code, String key, Object... args) {
        return new HttpProblem(status, code, key, args);
    }

    public static HttpProblem notFound(String key, Object... args) {
        return said(404, "not_found", key, args);
    }

    public static HttpProblem badRequest(String key, Object... args) {
        return said(400, "bad_request", key, args);
    }

    public static HttpProblem forbidden(String code, String key, Object... args) {
        return said(403, code, key, args);
    }

    /** The message in {@code messages}' language (the request's, for a per-request view). */
    public String message(Messages messages) {
        return key == null ? getMessage() : messages.format(key, args);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
