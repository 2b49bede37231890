package io.polyvisor.api;

import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/** Bearer-token check for every route except the open ones; the comparison takes constant time. */
final class Auth {
    private final byte[] expected;
    private final Set<String> open;

    Auth(String token, Set<String> openPaths) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.open = Set.copyOf(openPaths);
    }

    void check(Context ctx) {
        if (open.contains(ctx.path())) return;
        String header = ctx.header("Authorization");
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new UnauthorizedResponse("missing or wrong bearer token");
        }
    }
}
