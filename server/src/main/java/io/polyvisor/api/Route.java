package io.polyvisor.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One API route: what the server registers and what the OpenAPI document describes, from the same
 * value, so the two cannot drift apart.
 *
 * @param status   the success status
 * @param request  the body it reads, or null for none
 * @param response the body of the success status, or null for none
 * @param query    query parameters, each {@code name:description}
 */
public record Route(HandlerType method, String path, String summary, int status, Payload request, Payload response,
                    Handler handler, String... query) {

    public static Route get(String path, String summary, Payload response, Handler h, String... query) {
        return new Route(HandlerType.GET, path, summary, 200, null, response, h, query);
    }

    public static Route post(String path, String summary, int status, Payload request, Payload response, Handler h) {
        return new Route(HandlerType.POST, path, summary, status, request, response, h);
    }

    public static Route delete(String path, String summary, int status, Payload response, Handler h) {
        return new Route(HandlerType.DELETE, path, summary, status, null, response, h);
    }

    public static Route put(String path, String summary, Payload request, Payload response, Handler h) {
        return new Route(HandlerType.PUT, path, summary, 200, request, response, h);
    }

    /** {@code METHOD /path}, as in the route table and in Javalin's registry. */
    public String key() {
        return method.name() + " " + path;
    }

    boolean open() {
        return path.equals("/healthz");
    }
}
