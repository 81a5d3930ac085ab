/**
 * {@code /download/ID.zip} and {@code /download/ID.zim}: a pack to take home, for everyone on the LAN.
 * The handlers parse and answer; the bytes and their layout come from {@link org.offlinecommons.app.PackDownloads}.
 */
package org.offlinecommons.web.download;
