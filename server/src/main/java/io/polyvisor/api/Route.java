package io.polyvisor.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One API route: what the server registers and what the OpenAPI document describes, from the same
 * value, so the two cannot drift apart.
 *
 * @param status   the success status
 * @param request  schema name of the JSON body (see {@link OpenApi}), or null for none
 * @param response schema name of the success body; {@code X[]} for an array; null for none
 * @param query    query parameters, each {@code name:description}
 */
public record Route(HandlerType method, String path, String summary, int status, String request, String response,
             Handler handler, String... query) {

    public static Route get(String path, String summary, String response, Handler h, String... query) {
        return new Route(HandlerType.GET, path, summary, 200, null, response, h, query);
    }

    public static Route post(String path, String summary, int status, String request, String response, Handler h) {
        return new Route(HandlerType.POST, path, summary, status, request, response, h);
    }

    public static Route delete(String path, String summary, int status, String response, Handler h) {
        return new Route(HandlerType.DELETE, path, summary, status, null, response, h);
    }

    public static Route put(String path, String summary, String request, String response, Handler h) {
        return new Route(HandlerType.PUT, path, summary, 200, request, response, h);
    }

    boolean open() {
        return path.equals("/healthz");
    }
}
