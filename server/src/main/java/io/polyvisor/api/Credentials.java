package io.polyvisor.api;

import io.polyvisor.access.Principal;
import io.polyvisor.access.User;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a bearer token into a principal: the bootstrap admin token of the data folder, or a user's token. Only the
 * SHA-256 of a token is ever kept or looked up ({@link #hash}); a token is 256 random bits, so its hash needs no
 * salt nor slow function: no dictionary covers it, and the hash cannot be turned back into a usable token.
 *
 * <p>Contract: the admin token is compared by its digest in constant time ({@link MessageDigest#isEqual}); a user's
 * token is found by the digest of what was presented (an index lookup: its timing can only depend on the digest of
 * the attacker's own guess, which gives nothing about a real token); a revoked or expired user is refused at every
 * request, not only at sign-in.
 */
public final class Credentials {
    private final byte[] adminDigest;
    private final Function<String, Optional<User>> usersByHash;
    private final Clock clock;

    /** @param usersByHash the user whose token hashes to the given hex digest (the store's {@code userByToken}) */
    public Credentials(String adminToken, Function<String, Optional<User>> usersByHash, Clock clock) {
        this.adminDigest = HexFormat.of().parseHex(hash(adminToken));
        this.usersByHash = usersByHash;
        this.clock = clock;
    }

    /** Who holds {@code token}, if anyone whose token works now. */
    public Optional<Principal> authenticate(String token) {
        return token == null || token.isEmpty() ? Optional.empty() : byHash(hash(token));
    }

    /** As {@link #authenticate}, from the token's digest (what a console session keeps instead of the token). */
    Optional<Principal> byHash(String digest) {
        if (MessageDigest.isEqual(adminDigest, HexFormat.of().parseHex(digest))) return Optional.of(Principal.BOOTSTRAP_ADMIN);
        return usersByHash.apply(digest).filter(u -> u.activeAt(clock.instant())).map(User::principal);
    }

    /** The SHA-256 of {@code token}, as 64 lower-case hex digits: the only form in which a token is stored. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
