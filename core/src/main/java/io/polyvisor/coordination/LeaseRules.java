package io.polyvisor.coordination;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The lease state machine, pure: what acquiring, releasing and a fenced write do to a lease, given the stored row
 * (if any) and the time. The caller runs it under the group's lock and stores what it returns.
 *
 * <pre>
 *   free ──acquire(A)──► held by A, token t+1 ──acquire(A)──► held by A, same token, new expiry (renew)
 *     ▲                        │ release(A) / revoke / expiry
 *     └────────────────────────┘ (token t+1 is kept: the next holder gets t+2)
 * </pre>
 *
 * <p>Contract: a token is never handed out twice for one lease name; a new holder always gets a token larger than
 * every token issued before for that name; renewing keeps the token. A refusal changes nothing.
 */
public final class LeaseRules {
    private LeaseRules() {}

    /** What an acquire comes to. */
    public sealed interface Acquired {
        /** A new holder with a new token, or the same holder renewed with the same token. */
        record Granted(Lease lease, boolean renewed) implements Acquired {}

        /** Someone else holds it until {@code lease.expiresAt()}. */
        record Busy(Lease lease) implements Acquired {}
    }

    public static Acquired acquire(Optional<Lease> current, String group, String name, UUID vm, String vmName, String host,
                                   int ttlSeconds, Instant now) {
        Instant expires = now.plus(Duration.ofSeconds(ttlSeconds));
        if (current.isPresent() && current.get().heldAt(now)) {
            Lease c = current.get();
            if (!c.holder().equals(vm)) return new Acquired.Busy(c);
            return new Acquired.Granted(new Lease(group, name, vm, vmName, host, c.token(), ttlSeconds, expires), true);
        }
        long last = current.map(Lease::token).orElse(0L);
        return new Acquired.Granted(new Lease(group, name, vm, vmName, host, Math.addExact(last, 1), ttlSeconds, expires), false);
    }

    /**
     * Whether a write fenced with {@code token} on {@code lease} may proceed: only while the lease is held with exactly
     * that token. Returns the refusal's reason, or empty to go ahead.
     */
    public static Optional<String> fencedWrite(Optional<Lease> lease, String name, long token, Instant now) {
        if (lease.isEmpty() || lease.get().token() == 0) return Optional.of("lease " + name + " was never held; fencing token " + token + " is not valid");
        Lease l = lease.get();
        if (l.token() != token) {
            return Optional.of("fencing token " + token + " of lease " + name + " is stale: the lease is at token " + l.token()
                    + (l.heldAt(now) ? ", held by " + l.holderName() : ""));
        }
        if (!l.heldAt(now)) return Optional.of("fencing token " + token + " of lease " + name + " is stale: the lease is no longer held");
        return Optional.empty();
    }

    /**
     * Parses an {@code If-Match-Token} header, {@code NAME:TOKEN}; null for no header.
     */
    public static Fence parseFence(String header) {
        if (header == null) return null;
        int colon = header.lastIndexOf(':');
        io.polyvisor.model.InvalidInput.require(colon > 0 && colon < header.length() - 1,
                "If-Match-Token must be LEASE:TOKEN, got '" + KeyPath.shown(header) + "'");
        String name = CoordNames.leaseName(header.substring(0, colon));
        long token;
        try {
            token = Long.parseLong(header.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new io.polyvisor.model.InvalidInput("If-Match-Token must be LEASE:TOKEN with a positive integer token, got '"
                    + KeyPath.shown(header) + "'");
        }
        io.polyvisor.model.InvalidInput.require(token > 0, "If-Match-Token must be LEASE:TOKEN with a positive integer token, got '"
                + KeyPath.shown(header) + "'");
        return new Fence(name, token);
    }

    /** A write's claim to hold lease {@code name} with {@code token}. */
    public record Fence(String name, long token) {}
}
