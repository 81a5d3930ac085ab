/**
 * Pack files over HTTP: ranges, caching headers, gzip, and answers from memory on the selector thread.
 */
package org.offlinecommons.web.content;
