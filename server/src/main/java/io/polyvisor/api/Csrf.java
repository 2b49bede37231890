package io.polyvisor.api;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;

import java.util.Locale;
import java.util.Set;

/**
 * The defence against cross-site request forgery for requests a browser authenticates by the session cookie.
 * A state-changing request (anything but GET, HEAD, OPTIONS) must carry {@link #HEADER} and, if the browser sent
 * an {@code Origin}, come from this server's own origin. An HTML form cannot set a custom header, and a script on
 * another site that sets one triggers a CORS preflight this server never approves, so a forged request is refused
 * before its handler runs. Bearer-token requests need neither: a browser never adds that header by itself.
 */
public final class Csrf {
    /** The header the console sends with every state-changing request; its value is not checked, only its presence. */
    public static final String HEADER = "X-Polyvisor-Console";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private Csrf() {}

    /** Refuses (403) a state-changing request without {@link #HEADER} or from another origin. */
    public static void check(Context ctx) {
        if (SAFE.contains(ctx.method().name())) return;
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equalsIgnoreCase(ownOrigin(ctx))) {
            throw new ForbiddenResponse("cross-site request refused: Origin " + printable(origin) + " is not this server's");
        }
        if (ctx.header(HEADER) == null) {
            throw new ForbiddenResponse("cross-site request refused: a state-changing request without a bearer token (a session cookie, or signing in) must send the "
                    + HEADER + " header");
        }
    }

    /**
     * For a WebSocket (browsers send any page's cookie with it, and no CORS applies): true when there is no
     * {@code Origin} (not a browser) or it names the host the request was sent to.
     */
    public static boolean sameOrigin(String origin, String host) {
        if (origin == null) return true;
        try {
            String authority = java.net.URI.create(origin).getRawAuthority();
            return authority != null && host != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String ownOrigin(Context ctx) {
        String host = ctx.header("Host");
        return ctx.scheme().toLowerCase(Locale.ROOT) + "://" + (host == null ? "" : host);
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
