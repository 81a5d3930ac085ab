package org.offlinecommons.web;

/**
 * A page saying what went wrong and what to do next, in plain words.
 *
 * @param detail a more precise sentence from the server (e.g. which pack is missing), or null
 */
public record ErrorView(Layout layout, int status, String heading, String text, String detail) {
}
