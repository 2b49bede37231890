package io.polyvisor.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.polyvisor.access.Permission;

/**
 * One API route: what the server registers and what the OpenAPI document describes, from the same
 * value, so the two cannot drift apart.
 *
 * @param status   the success status
 * @param request  the body it reads, or null for none
 * @param response the body of the success status, or null for none
 * @param open       whether anyone may call it without a credential (health, the web console's static files, signing in)
 * @param permission what a caller's role must allow ({@link io.polyvisor.access.Role#allows}): {@code ADMIN} unless the
 *                   route declares otherwise ({@link #requires}), so a new route is admin-only until it limits its
 *                   answer or its action to the caller's projects
 * @param query      query parameters, each {@code name:description}
 */
public record Route(HandlerType method, String path, String summary, int status, Payload request, Payload response,
                    Handler handler, boolean open, Permission permission, String... query) {

    public Route {
        if (permission == null) throw new IllegalArgumentException("route " + method + " " + path + " has no permission");
    }

    /** A route for admins only. */
    public Route(HandlerType method, String path, String summary, int status, Payload request, Payload response,
                 Handler handler, boolean open, String... query) {
        this(method, path, summary, status, request, response, handler, open, Permission.ADMIN, query);
    }

    public static Route get(String path, String summary, Payload response, Handler h, String... query) {
        return new Route(HandlerType.GET, path, summary, 200, null, response, h, false, query);
    }

    public static Route post(String path, String summary, int status, Payload request, Payload response, Handler h) {
        return new Route(HandlerType.POST, path, summary, status, request, response, h, false);
    }

    public static Route delete(String path, String summary, int status, Payload response, Handler h) {
        return new Route(HandlerType.DELETE, path, summary, status, null, response, h, false);
    }

    public static Route put(String path, String summary, Payload request, Payload response, Handler h) {
        return new Route(HandlerType.PUT, path, summary, 200, request, response, h, false);
    }

    /** {@code METHOD /path}, as in the route table and in Javalin's registry. */
    public String key() {
        return method.name() + " " + path;
    }

    /** This route, callable without a credential: only for what must be reachable before anyone signs in. */
    public Route unauthenticated() {
        return new Route(method, path, summary, status, request, response, handler, true, permission, query);
    }

    /**
     * This route, callable by any role that allows {@code p}. The handler must then limit what it shows or does to the
     * caller's projects ({@link Caller}); that is the contract of {@link Permission#READ} and {@link Permission#OPERATE}.
     */
    public Route requires(Permission p) {
        return new Route(method, path, summary, status, request, response, handler, open, p, query);
    }

    /**
     * Whether {@code requestPath} falls under this route's path, whose {@code {param}} segments match one segment each
     * and whose last segment, if {@code <param>}, matches the rest of the path (one segment or more, as in Javalin).
     */
    boolean matches(String requestPath) {
        String[] want = path.split("/", -1), got = requestPath.split("/", -1);
        boolean rest = want[want.length - 1].startsWith("<") && want[want.length - 1].endsWith(">");
        if (rest ? got.length < want.length : want.length != got.length) return false;
        if (rest && String.join("/", java.util.Arrays.copyOfRange(got, want.length - 1, got.length)).isEmpty()) return false;
        for (int i = 0; i < (rest ? want.length - 1 : want.length); i++) {
            boolean param = want[i].startsWith("{") && want[i].endsWith("}");
            if (param ? got[i].isEmpty() : !want[i].equals(got[i])) return false;
        }
        return true;
    }
}
