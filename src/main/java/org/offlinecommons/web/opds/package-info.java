/**
 * The OPDS 1.2 catalog at {@code /opds}, for e-reader and Kiwix apps: navigation and acquisition feeds
 * rendered by {@link org.offlinecommons.web.opds.OpdsFeed} from {@link org.offlinecommons.app.PackShelf}.
 */
package org.offlinecommons.web.opds;
