package io.polyvisor.api;

import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;

import java.util.List;

/**
 * Who may call: every route but the open ones needs either the admin token as a bearer token, or (from a
 * browser) the cookie of an open session ({@link Sessions}), and then a state-changing request must also pass
 * {@link Csrf}. A request that sends an {@code Authorization} header is judged by it alone. Token comparison
 * takes constant time.
 */
final class Auth {
    private final Sessions sessions;
    private final List<Route> open;

    Auth(Sessions sessions, List<Route> openRoutes) {
        this.sessions = sessions;
        this.open = List.copyOf(openRoutes);
    }

    void check(Context ctx) {
        String method = ctx.method().name(), path = ctx.path();
        if (open.stream().anyMatch(r -> r.method().name().equals(method) && r.matches(path))) return;
        String header = ctx.header("Authorization");
        if (header != null) {
            if (header.startsWith("Bearer ") && sessions.isAdminToken(header.substring("Bearer ".length()))) return;
            throw unauthorized(ctx, "missing or wrong bearer token");
        }
        String cookie = ctx.cookie(Sessions.COOKIE);
        if (cookie == null) throw unauthorized(ctx, "missing or wrong bearer token");
        if (sessions.use(cookie).isEmpty()) throw unauthorized(ctx, "session expired or signed out; sign in again");
        Csrf.check(ctx);
    }

    private static UnauthorizedResponse unauthorized(Context ctx, String detail) {
        ctx.header("WWW-Authenticate", "Bearer");
        return new UnauthorizedResponse(detail);
    }
}
