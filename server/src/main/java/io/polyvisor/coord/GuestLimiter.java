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
    private final RateLimit limit;
    private final ConcurrentHashMap<UUID, RateLimit.Bucket> buckets = new ConcurrentHashMap<>();

    GuestLimiter(RateLimit limit) {
        this.limit = limit;
    }

    /** Takes a token of {@code vm}'s bucket, or throws the 429 (with {@code Retry-After} set on {@code ctx}). */
    void admit(Vm vm, Context ctx) {
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
