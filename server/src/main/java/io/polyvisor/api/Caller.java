package io.polyvisor.api;

import io.javalin.http.Context;
import io.polyvisor.access.Principal;
import io.polyvisor.model.Refusal;

import java.util.Optional;

/**
 * The principal of the request being served, set by {@link Auth} before any handler runs. Routes read it to limit
 * what they show and do to the caller's projects; {@link ApiServer} reads it to check each route's permission.
 */
public final class Caller {
    private static final String ATTRIBUTE = "polyvisor.principal";

    private Caller() {}

    /** The caller of a route that is not open; a bug (500) if there is none. */
    public static Principal of(Context ctx) {
        return find(ctx).orElseThrow(() -> new IllegalStateException("no principal on " + ctx.method() + " " + ctx.path()));
    }

    /** The caller, or empty on an open route called without a credential. */
    public static Optional<Principal> find(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    /** The caller of a WebSocket, authenticated when it connected; empty if it was refused (and is being closed). */
    public static Optional<Principal> find(io.javalin.websocket.WsContext ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    static void set(io.javalin.websocket.WsContext ctx, Principal p) {
        ctx.attribute(ATTRIBUTE, p);
    }

    /** Records who is calling (also by the sign-in route, so the audit journal names who signed in). */
    public static void set(Context ctx, Principal p) {
        ctx.attribute(ATTRIBUTE, p);
    }

    /**
     * Refuses, as not found, an object of a project the caller does not see: to such a caller it does not exist.
     *
     * @param what as in the not-found message, {@code vm web1}
     */
    public static void requireSees(Context ctx, String project, String what) {
        if (!of(ctx).sees(project)) throw Refusal.notFound(what + " not found");
    }
}
