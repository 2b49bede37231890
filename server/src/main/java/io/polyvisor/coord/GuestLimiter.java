package io.polyvisor.coord;

import io.javalin.http.Context;
import io.javalin.http.TooManyRequestsResponse;
import io.polyvisor.coordination.RateLimit;
import io.polyvisor.model.Vm;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-VM rate limit of the guest API ({@link RateLimit}, a token bucket per VM): a VM over its limit gets 429
 * problem+json with {@code Retry-After}, before its request does anything; other VMs keep their own buckets, so a
 * flood from one guest costs the others nothing but the server's time to refuse it. A deleted VM's bucket stays
 * until the server restarts (a few dozen bytes each).
 */
final class GuestLimiter {
    /** How long a limit read from the settings is used before it is read again (so a change on any server applies). */
    static final long REREAD_NANOS = 1_000_000_000L;
    private final java.util.function.Supplier<RateLimit> settings;
    private final ConcurrentHashMap<UUID, RateLimit.Bucket> buckets = new ConcurrentHashMap<>();
    private volatile RateLimit limit;
    private volatile long readAt;

    /** @param settings the limit as stored now (read at most once a second) */
    GuestLimiter(java.util.function.Supplier<RateLimit> settings) {
        this.settings = settings;
        this.limit = settings.get();
        this.readAt = System.nanoTime();
    }

    /** The limit in force: the stored one, at most a second old. */
    RateLimit limit() {
        long now = System.nanoTime();
        if (now - readAt > REREAD_NANOS) {
            limit = settings.get();
            readAt = now;
        }
        return limit;
    }

    /** Applies {@code l} at once on this server (just stored; other servers read it within a second). */
    void changed(RateLimit l) {
        limit = l;
        readAt = System.nanoTime();
    }

    /** Takes a token of {@code vm}'s bucket, or throws the 429 (with {@code Retry-After} set on {@code ctx}). */
    void admit(Vm vm, Context ctx) {
        RateLimit limit = limit();
        long now = System.nanoTime();
        RateLimit.Taken[] taken = {null};
        buckets.compute(vm.id(), (id, b) -> (taken[0] = limit.take(b == null ? limit.full(now) : b, now)).bucket());
        if (taken[0] instanceof RateLimit.Taken.Refused r) {
            ctx.header("Retry-After", Long.toString(r.retryAfterSeconds()));
            throw new TooManyRequestsResponse("VM " + vm.name() + " is over its guest API rate limit (" + fmt(limit.perSecond())
                    + " requests a second, bursts of " + limit.burst() + "); retry after " + r.retryAfterSeconds() + " s");
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
