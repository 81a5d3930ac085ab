/**
 * Importing from and exporting to USB drives, as pages and as JSON; the views are built by
 * {@code DriveScreens}, apart from the handlers.
 */
package org.offlinecommons.web.drives;
