package io.polyvisor.coordination;

import io.polyvisor.model.InvalidInput;

/**
 * A token bucket, pure: {@code perSecond} requests a second on average, up to {@code burst} at once. The caller keeps
 * one {@link Bucket} per client and replaces it with what {@link #take} returns.
 *
 * @param perSecond tokens added per second (1-100000)
 * @param burst     the bucket's size (1-100000): how many requests may come at once after a quiet spell
 */
public record RateLimit(double perSecond, int burst) {
    /** The guest API's limit per VM: generous for a coordination client, a brake on a flood from one guest. */
    public static final RateLimit GUEST_DEFAULT = new RateLimit(50, 100);

    public RateLimit {
        InvalidInput.require(perSecond >= 1 && perSecond <= 100_000, "rate limit must be between 1 and 100000 per second, got " + perSecond);
        InvalidInput.require(burst >= 1 && burst <= 100_000, "rate limit burst must be between 1 and 100000, got " + burst);
    }

    /** Tokens left at {@code atNanos} (a monotonic clock). */
    public record Bucket(double tokens, long atNanos) {}

    /** What one request comes to: let through (and the bucket after it), or refused for {@code retryAfterSeconds}. */
    public sealed interface Taken {
        Bucket bucket();

        record Allowed(Bucket bucket) implements Taken {}

        /** Refused: a token will be there in {@code retryAfterSeconds} (at least 1, as HTTP's Retry-After counts). */
        record Refused(Bucket bucket, long retryAfterSeconds) implements Taken {}
    }

    /** A full bucket at {@code nowNanos}, for a client seen for the first time. */
    public Bucket full(long nowNanos) {
        return new Bucket(burst, nowNanos);
    }

    /** Refills {@code b} for the time since it was last seen, then takes one token if there is one. */
    public Taken take(Bucket b, long nowNanos) {
        double tokens = Math.min(burst, b.tokens() + Math.max(0, nowNanos - b.atNanos()) / 1e9 * perSecond);
        if (tokens >= 1) return new Taken.Allowed(new Bucket(tokens - 1, nowNanos));
        long wait = (long) Math.ceil((1 - tokens) / perSecond);
        return new Taken.Refused(new Bucket(tokens, nowNanos), Math.max(1, wait));
    }
}
