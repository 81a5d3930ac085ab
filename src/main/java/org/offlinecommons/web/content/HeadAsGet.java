package org.offlinecommons.web.content;

import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;

/**
 * Runs a HEAD of a dynamic route as its GET, so HEAD answers the same status and headers by
 * construction. Jetty still knows the exchange is a HEAD (it reads the method from the request
 * line it parsed) and sends no body.
 */
final class HeadAsGet extends Request.Wrapper {

    /** Downloads answer HEAD themselves: run as a GET, a HEAD would read a whole pack to send nothing. */
    private static final String OWN_HEAD_PREFIX = "/download/";

    private HeadAsGet(Request wrapped) {
        super(wrapped);
    }

    static Request wrap(Request request) {
        String path = request.getHttpURI().getPath();
        return HttpMethod.HEAD.is(request.getMethod()) && (path == null || !path.startsWith(OWN_HEAD_PREFIX))
                ? new HeadAsGet(request) : request;
    }

    @Override
    public String getMethod() {
        return HttpMethod.GET.asString();
    }
}
