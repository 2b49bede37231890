package io.polyvisor.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import io.polyvisor.api.Body;
import io.polyvisor.api.Caller;
import io.polyvisor.access.Permission;
import io.polyvisor.access.Role;
import io.polyvisor.api.Csrf;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.api.Sessions;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Signing in and out of the console. {@code POST /api/v1/session} takes the admin token once and answers with an
 * HttpOnly, SameSite=Strict session cookie for path {@code /}; the token itself is never sent back nor kept by the
 * browser. {@code DELETE /api/v1/session} ends the session and expires the cookie. Both pass {@link Csrf}, the
 * sign-in too, so another site cannot sign a browser in either.
 */
final class SessionRoutes {
    static final Payload.Written SIGN_IN = new Payload.Written("SignIn", Map.of("type", "object", "required", List.of("token"),
            "additionalProperties", false,
            "properties", Map.of("token", Map.of("type", "string", "description", "the admin token (DATA/admin.token) or a user's token"))), false);

    /** An open session: who it is for, with which role, and when it ends unless used. */
    record SessionView(String identity, Role role, Instant expires) {}

    private final Sessions sessions;
    private final ObjectMapper mapper;

    SessionRoutes(Sessions sessions, ObjectMapper mapper) {
        this.sessions = sessions;
        this.mapper = mapper;
    }

    List<Route> routes() {
        return List.of(
                Route.post("/api/v1/session", "Sign in with the admin token or a user's token: sets the console's session cookie (send "
                        + Csrf.HEADER + ")", 201, SIGN_IN, Payload.of(SessionView.class), this::signIn).unauthenticated(),
                Route.delete("/api/v1/session", "Sign out: ends the session and clears its cookie", 204, null, this::signOut)
                        .requires(Permission.READ));
    }

    private void signIn(Context ctx) {
        Csrf.check(ctx);
        String token = Body.parse(mapper, Body.text(ctx), SIGN_IN.fields()).requiredString("token");
        String id = sessions.signIn(token).orElseThrow(() -> new UnauthorizedResponse("wrong token"));
        var session = sessions.use(id).orElseThrow();
        var who = sessions.principal(id).orElseThrow();
        Caller.set(ctx, who); // the audit journal names who signed in
        ctx.header("Set-Cookie", cookie(id, sessions.lifetime().toSeconds()));
        ctx.status(201).json(new SessionView(who.name(), who.role(), session.expires()));
    }

    private void signOut(Context ctx) {
        sessions.signOut(ctx.cookie(Sessions.COOKIE));
        ctx.header("Set-Cookie", cookie("", 0));
        ctx.status(204);
    }

    /** The session cookie: never readable by scripts, never sent cross-site, for the whole origin. */
    static String cookie(String value, long maxAgeSeconds) {
        return Sessions.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds;
    }
}
