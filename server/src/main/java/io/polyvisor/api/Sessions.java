package io.polyvisor.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions: what the web console holds instead of a token. A session is opened by presenting a token once
 * (the admin token or a user's, {@link #signIn}); the browser then carries only a random 256-bit id in an HttpOnly
 * cookie ({@link #COOKIE}). Sessions live in this server's memory (a restart signs everyone out) and end after
 * {@code idle} without a request, after {@code lifetime} in any case, or at sign-out.
 *
 * <p>Contract: ids are compared by their SHA-256 only, so the map never holds a usable id; a session keeps the
 * SHA-256 of the token it was opened with, never the token, and is worth that token at every request
 * ({@link #principal}): once the user is revoked, expired or rotated, its sessions stop working too; at most
 * {@link #MAX_SESSIONS} sessions are open at once (the oldest goes first).
 */
public final class Sessions {
    /** The cookie's name. */
    public static final String COOKIE = "polyvisor_session";
    static final int MAX_SESSIONS = 1000;

    /** An open session, as the API shows it; {@code credential} is the SHA-256 of the token it was opened with. */
    public record Session(Instant created, Instant expires, String credential) {}

    private record Entry(Instant created, Instant lastUsed, String credential) {}

    private final Credentials credentials;
    private final Clock clock;
    private final Duration idle;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> open = new ConcurrentHashMap<>();

    public Sessions(Credentials credentials, Clock clock, Duration idle, Duration lifetime) {
        if (idle.isNegative() || idle.isZero() || lifetime.compareTo(idle) < 0) {
            throw new IllegalArgumentException("need 0 < idle <= lifetime, got idle " + idle + ", lifetime " + lifetime);
        }
        this.credentials = credentials;
        this.clock = clock;
        this.idle = idle;
        this.lifetime = lifetime;
    }

    /**
     * Opens a session for the holder of {@code given} and returns its id; empty if no one's token works as given.
     * Synchronized so that the cap holds exactly; sign-ins are rare, uses ({@link #use}) do not wait on it.
     */
    public synchronized Optional<String> signIn(String given) {
        if (credentials.authenticate(given).isEmpty()) return Optional.empty();
        Instant now = clock.instant();
        open.entrySet().removeIf(e -> expired(e.getValue(), now));
        while (open.size() >= MAX_SESSIONS) {
            open.entrySet().stream().min(Map.Entry.comparingByValue(java.util.Comparator.comparing(Entry::created)))
                    .ifPresent(oldest -> open.remove(oldest.getKey()));
        }
        byte[] id = new byte[32];
        random.nextBytes(id);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        open.put(digest(text), new Entry(now, now, Credentials.hash(given)));
        return Optional.of(text);
    }

    /** The session {@code id} names, if it is open; a hit counts as use (the idle clock restarts). */
    public Optional<Session> use(String id) {
        if (id == null || id.isEmpty()) return Optional.empty();
        Instant now = clock.instant();
        Entry e = open.computeIfPresent(digest(id), (k, v) -> expired(v, now) ? null : new Entry(v.created(), now, v.credential()));
        return e == null ? Optional.empty() : Optional.of(new Session(e.created(), expires(e), e.credential()));
    }

    /** Who the open session {@code id} acts for now (its token must still work); a hit counts as use. */
    public Optional<io.polyvisor.access.Principal> principal(String id) {
        return use(id).flatMap(s -> credentials.byHash(s.credential()));
    }

    /** Ends the session {@code id} names; nothing happens if it is not open. */
    public void signOut(String id) {
        if (id != null && !id.isEmpty()) open.remove(digest(id));
    }

    /** How long a new session's cookie may live: its whole lifetime. */
    public Duration lifetime() {
        return lifetime;
    }

    /** When a session just opened or used ends unless used again. */
    private Instant expires(Entry e) {
        Instant byIdle = e.lastUsed().plus(idle), byLifetime = e.created().plus(lifetime);
        return byIdle.isBefore(byLifetime) ? byIdle : byLifetime;
    }

    private boolean expired(Entry e, Instant now) {
        return !now.isBefore(expires(e));
    }

    private static String digest(String id) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
