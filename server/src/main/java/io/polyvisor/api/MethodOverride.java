package io.polyvisor.api;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

/**
 * Refuses a request that names another method in {@value #HEADER}. Javalin routes by that header when it is present
 * (on any method), so without this a {@code POST /api/v1/vms/web/stop} carrying {@code X-HTTP-Method-Override: DELETE}
 * was routed as a DELETE: a proxy or audit that trusts the request line saw one method while another ran, and the
 * 405 for an override a path lacks named the method the client did not send. The request line's method is the only
 * one: such a request is 400, before authentication and routing.
 */
final class MethodOverride {
    static final String HEADER = "X-HTTP-Method-Override";

    private MethodOverride() {}

    static void refuse(Context ctx) {
        if (ctx.req().getHeader(HEADER) != null) {
            throw new HttpResponseException(400, "the " + HEADER + " header is not supported: send the request with the method itself");
        }
    }
}
