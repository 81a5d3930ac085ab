/**
 * The server's use cases wired once at start-up ({@link org.offlinecommons.app.Services}), and those that span
 * several packages below (exports to drives). {@code serve} builds them; the web and the CLI only call them.
 */
package org.offlinecommons.app;
