/**
 * The admin's login, dashboard, uploads and deletes, as pages and as JSON.
 */
package org.offlinecommons.web.admin;
