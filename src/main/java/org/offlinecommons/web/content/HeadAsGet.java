package org.offlinecommons.web.content;

import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;

/**
 * Runs a HEAD of a dynamic route as its GET, so HEAD answers the same status and headers by
 * construction. Jetty still knows the exchange is a HEAD (it reads the method from the request
 * line it parsed) and sends no body.
 */
final class HeadAsGet extends Request.Wrapper {

    private HeadAsGet(Request wrapped) {
        super(wrapped);
    }

    static Request wrap(Request request) {
        return HttpMethod.HEAD.is(request.getMethod()) ? new HeadAsGet(request) : request;
    }

    @Override
    public String getMethod() {
        return HttpMethod.GET.asString();
    }
}
