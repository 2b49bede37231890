package io.polyvisor.coord;

import io.polyvisor.linearizability.Model;

import java.util.Optional;

/**
 * The sequential specification of a group's coordination objects for the linearizability checker: each key a
 * register with compare-and-set on its revision, each lease (with the key its holders write fenced) a holder and a
 * fencing token. Parts: one per key ({@code kv:KEY}), one per lease ({@code lease:NAME}), so the checker looks at each
 * alone.
 *
 * <p>Revocations are not asked by clients: Polyvisor makes them (host fenced, VM restarted). They enter the history
 * from the journal's {@code lease.revoked} events as operations that happened after their record time (less a margin)
 * and at an unknown return, and the model requires that the lease was held with that token by that holder at that
 * point: a lease goes from one holder to another only through a release or a recorded revocation. Lease expiry does
 * not occur in the test (its TTL outlasts it).
 *
 * <p>What each check catches: a read of a value overwritten before the read began, or never written; two CAS writes
 * from the same revision both accepted; a revision that does not grow; two holders at once; a new holder whose token is
 * not exactly the last one plus one; a renewal that changed the token; a write fenced with a token that is no longer
 * the lease's current one accepted, or one with the current token refused.
 *
 * <p>Approximation: after a CAS write whose outcome the client never learned, the key's revision is unknown until the
 * next answer names it; a CAS against an unknown revision is accepted either way (and, if its outcome is unknown too,
 * taken as applied).
 */
final class CoordModel implements Model<CoordModel.State, CoordModel.In, CoordModel.Out> {
    sealed interface In {
        String part();
    }

    record Read(String key) implements In {
        public String part() {
            return "kv:" + key;
        }
    }

    record Cas(String key, long expect, String value) implements In {
        public String part() {
            return "kv:" + key;
        }
    }

    /** {@code DELETE /v1/kv/KEY?cas=EXPECT}: deletes the key if it is live at {@code expect}. */
    record Delete(String key, long expect) implements In {
        public String part() {
            return "kv:" + key;
        }
    }

    record Acquire(String lease, String vm) implements In {
        public String part() {
            return "lease:" + lease;
        }
    }

    record Release(String lease, String vm) implements In {
        public String part() {
            return "lease:" + lease;
        }
    }

    /** A write of the lease's fenced key with {@code If-Match-Token: LEASE:TOKEN}. */
    record FencedPut(String lease, long token, String value) implements In {
        public String part() {
            return "lease:" + lease;
        }
    }

    /** Polyvisor revoked the lease from {@code holder} at {@code token} (from the journal). */
    record Revoke(String lease, String holder, long token) implements In {
        public String part() {
            return "lease:" + lease;
        }
    }

    sealed interface Out {}

    record Found(String value, long rev) implements Out {}

    record Absent() implements Out {}

    record Written(long rev) implements Out {}

    record CasRefused(long current) implements Out {}

    record Granted(long token) implements Out {}

    record Busy(String holder, long token) implements Out {}

    record Released(long token) implements Out {}

    record NotHolder(String holder) implements Out {}

    record Refused() implements Out {}

    record Done() implements Out {}

    /** The client never learned the outcome. */
    record Unknown() implements Out {}

    /**
     * A key ({@code value} null: absent, {@code rev} then the revision of its delete, 0 before any write; {@code rev}
     * -1: unknown) or a lease ({@code holder} null: free).
     */
    record State(String value, long rev, String holder, long token) {}

    @Override
    public State init() {
        return new State(null, 0, null, 0);
    }

    @Override
    public Object partition(In input) {
        return input.part();
    }

    @Override
    public Optional<State> step(State s, In in, Out out) {
        return Optional.ofNullable(switch (in) {
            case Read r -> read(s, out);
            case Cas c -> cas(s, c, out);
            case Delete d -> delete(s, d, out);
            case Acquire a -> acquire(s, a, out);
            case Release r -> release(s, r, out);
            case FencedPut f -> fenced(s, f, out);
            case Revoke v -> s.holder() != null && s.holder().equals(v.holder()) && s.token() == v.token()
                    ? new State(null, 0, null, s.token()) : null;
        });
    }

    private static State read(State s, Out out) {
        return switch (out) {
            case Found f -> s.value() != null && s.value().equals(f.value()) && (s.rev() == -1 || s.rev() == f.rev())
                    ? new State(s.value(), f.rev(), null, 0) : null;
            case Absent a -> s.value() == null ? s : null;
            case Unknown u -> s;
            default -> null;
        };
    }

    /** Whether the key is at {@code expect} (0: absent): TRUE, FALSE, or null when its revision is unknown. */
    private static Boolean matches(State s, long expect) {
        if (expect == 0) return s.value() == null;
        if (s.value() == null) return false;
        return s.rev() == -1 ? null : s.rev() == expect;
    }

    private static State cas(State s, Cas c, Out out) {
        Boolean m = matches(s, c.expect());
        return switch (out) {
            case Written w -> m != Boolean.FALSE && (s.rev() == -1 || w.rev() > s.rev()) ? new State(c.value(), w.rev(), null, 0) : null;
            case CasRefused x -> {
                if (m == Boolean.TRUE) yield null;
                if (s.value() == null) yield x.current() == 0 ? s : null;
                if (s.rev() == -1) yield x.current() != c.expect() ? new State(s.value(), x.current(), null, 0) : null;
                yield x.current() == s.rev() ? s : null;
            }
            case Unknown u -> m == Boolean.FALSE ? s : new State(c.value(), -1, null, 0);
            default -> null;
        };
    }

    /**
     * A delete with compare-and-set: it leaves the key absent at a larger revision ({@code Written} is the tombstone's);
     * an absent key is refused as a CAS mismatch unless {@code expect} is 0, then as not found ({@code Absent}).
     */
    private static State delete(State s, Delete d, Out out) {
        Boolean m = matches(s, d.expect());
        return switch (out) {
            case Written w -> s.value() != null && m != Boolean.FALSE && (s.rev() == -1 || w.rev() > s.rev()) ? new State(null, w.rev(), null, 0) : null;
            case Absent a -> s.value() == null && d.expect() == 0 ? s : null;
            case CasRefused x -> cas(s, new Cas(d.key(), d.expect(), null), out);
            case Unknown u -> m == Boolean.FALSE || s.value() == null ? s : new State(null, -1, null, 0);
            default -> null;
        };
    }

    private static State acquire(State s, Acquire a, Out out) {
        boolean mine = a.vm().equals(s.holder());
        return switch (out) {
            case Granted g -> mine ? (g.token() == s.token() ? s : null)
                    : s.holder() == null && g.token() == s.token() + 1 ? new State(null, 0, a.vm(), g.token()) : null;
            case Busy b -> s.holder() != null && !mine && s.holder().equals(b.holder()) && s.token() == b.token() ? s : null;
            case Unknown u -> s.holder() == null ? new State(null, 0, a.vm(), s.token() + 1) : s;
            default -> null;
        };
    }

    private static State release(State s, Release r, Out out) {
        boolean mineOrFree = s.holder() == null || s.holder().equals(r.vm());
        return switch (out) {
            case Released x -> mineOrFree && x.token() == s.token() ? new State(null, 0, null, s.token()) : null;
            case NotHolder n -> !mineOrFree && s.holder().equals(n.holder()) ? s : null;
            case Absent a -> s.token() == 0 ? s : null;
            case Unknown u -> mineOrFree ? new State(null, 0, null, s.token()) : s;
            default -> null;
        };
    }

    private static State fenced(State s, FencedPut f, Out out) {
        boolean valid = s.holder() != null && s.token() == f.token();
        return switch (out) {
            case Written w -> valid ? s : null;
            case Refused r -> valid ? null : s;
            case Unknown u -> s;
            default -> null;
        };
    }
}
