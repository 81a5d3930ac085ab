/**
 * The pages people read: home, a pack, the reader and search. Handlers hand off to
 * {@link org.offlinecommons.web.reading.LibraryPages}, which builds views and never sees a request.
 */
package org.offlinecommons.web.reading;
