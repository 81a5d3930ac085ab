package org.offlinecommons.web;

/** The JSON body of every error answer: a stable code for programs, a message for people. */
public record ApiError(String error, String message) {
}
