package io.polyvisor.api;

import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Who is calling: every route but the open ones needs either a token (the admin token or a user's, see
 * {@link Credentials}) as a bearer token, or (from a browser) the cookie of an open session ({@link Sessions}), and
 * then a state-changing request must also pass {@link Csrf}. A request that sends an {@code Authorization} header
 * is judged by it alone. The header is {@code SCHEME 1*SP TOKEN} with the scheme {@code Bearer} in any case
 * (RFC 9110 section 11.1, RFC 6750). The principal found is set on the request ({@link Caller}); what it may do is
 * the route's {@link Route#permission()}, checked by {@link ApiServer}.
 */
final class Auth {
    private static final String SCHEME = "Bearer";

    private final Credentials credentials;
    private final Sessions sessions;
    private final List<Route> open;

    Auth(Credentials credentials, Sessions sessions, List<Route> openRoutes) {
        this.credentials = credentials;
        this.sessions = sessions;
        this.open = List.copyOf(openRoutes);
    }

    void check(Context ctx) {
        String method = ctx.method().name(), path = ctx.path();
        if (open.stream().anyMatch(r -> r.method().name().equals(method) && r.matches(path))) return;
        String header = ctx.header("Authorization");
        if (header != null) {
            byte[] token = token(header);
            var principal = token.length == 0 ? java.util.Optional.<io.polyvisor.access.Principal>empty()
                    : credentials.authenticate(new String(token, StandardCharsets.UTF_8));
            Caller.set(ctx, principal.orElseThrow(() -> unauthorized(ctx, "missing or wrong bearer token")));
            return;
        }
        String cookie = ctx.cookie(Sessions.COOKIE);
        if (cookie == null) throw unauthorized(ctx, "missing or wrong bearer token");
        var principal = sessions.principal(cookie);
        if (principal.isEmpty()) throw unauthorized(ctx, "session expired or signed out; sign in again");
        Csrf.check(ctx);
        Caller.set(ctx, principal.get());
    }

    /**
     * The principal of a WebSocket's upgrade request, judged as {@link #check} judges a GET: the bearer token when
     * there is an Authorization header, else the session cookie. Empty when neither names one.
     */
    java.util.Optional<io.polyvisor.access.Principal> webSocket(String authorization, String cookie) {
        if (authorization != null) {
            byte[] token = token(authorization);
            return token.length == 0 ? java.util.Optional.empty() : credentials.authenticate(new String(token, StandardCharsets.UTF_8));
        }
        return cookie == null ? java.util.Optional.empty() : sessions.principal(cookie);
    }

    /** The credentials of a Bearer header, or nothing for any other header. */
    static byte[] token(String header) {
        if (header == null || header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || header.charAt(SCHEME.length()) != ' ') {
            return new byte[0];
        }
        int start = SCHEME.length();
        while (start < header.length() && header.charAt(start) == ' ') start++;
        return header.substring(start).getBytes(StandardCharsets.UTF_8);
    }

    private static UnauthorizedResponse unauthorized(Context ctx, String detail) {
        ctx.header("WWW-Authenticate", SCHEME);
        return new UnauthorizedResponse(detail);
    }
}
