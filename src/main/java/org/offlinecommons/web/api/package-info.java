/**
 * The read-only JSON API, health and metrics.
 */
package org.offlinecommons.web.api;
