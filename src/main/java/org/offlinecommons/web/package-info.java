/**
 * The HTTP server ({@link org.offlinecommons.web.WebServer}) and what its features share: the one exception
 * type for HTTP answers, messages, layout, templates and the views the templates name. Each feature lives in
 * a subpackage whose handlers parse, call a use case and render.
 */
package org.offlinecommons.web;
