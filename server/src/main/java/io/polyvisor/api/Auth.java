package io.polyvisor.api;

import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Bearer-token check for every route except the open ones. The header is {@code SCHEME 1*SP TOKEN} with the
 * scheme {@code Bearer} in any case (RFC 9110 section 11.1, RFC 6750); the token comparison takes constant time.
 */
final class Auth {
    private static final String SCHEME = "Bearer";

    private final byte[] expected;
    private final Set<String> open;

    Auth(String token, Set<String> openPaths) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
        this.open = Set.copyOf(openPaths);
    }

    void check(Context ctx) {
        if (open.contains(ctx.path())) return;
        if (!MessageDigest.isEqual(expected, token(ctx.header("Authorization")))) {
            ctx.header("WWW-Authenticate", SCHEME);
            throw new UnauthorizedResponse("missing or wrong bearer token");
        }
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
}
