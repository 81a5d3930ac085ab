/**
 * The sync tree peers pull from ({@code /sync/v1/}), pull jobs ({@code /api/v1/sync}) and pull requests.
 */
package org.offlinecommons.web.sync;
