/**
 * HTTP plumbing every feature shares: who may do what (the admin gate), exceptions mapped to answers in one
 * place, JSON bodies under one rule, security headers, TLS keys, multipart uploads and refusals a client
 * still sending can read.
 */
package org.offlinecommons.web.http;
