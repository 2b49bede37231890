package io.polyvisor.coordination;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseRulesTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final UUID a = UUID.randomUUID(), b = UUID.randomUUID();

    @Test
    void firstAcquireGetsTokenOneRenewKeepsItAnotherHolderWaits() {
        var first = (LeaseRules.Acquired.Granted) LeaseRules.acquire(Optional.empty(), "db", "leader", a, "a", "h1", 10, T0);
        assertThat(first.lease().token()).isEqualTo(1);
        assertThat(first.renewed()).isFalse();
        var renew = (LeaseRules.Acquired.Granted) LeaseRules.acquire(Optional.of(first.lease()), "db", "leader", a, "a", "h2", 10, T0.plusSeconds(5));
        assertThat(renew.lease().token()).isEqualTo(1);
        assertThat(renew.renewed()).isTrue();
        assertThat(renew.lease().expiresAt()).isEqualTo(T0.plusSeconds(15));
        assertThat(renew.lease().holderHost()).isEqualTo("h2");
        assertThat(LeaseRules.acquire(Optional.of(renew.lease()), "db", "leader", b, "b", "h1", 10, T0.plusSeconds(6)))
                .isInstanceOf(LeaseRules.Acquired.Busy.class);
        var taken = (LeaseRules.Acquired.Granted) LeaseRules.acquire(Optional.of(renew.lease()), "db", "leader", b, "b", "h1", 10, T0.plusSeconds(15));
        assertThat(taken.lease().token()).isEqualTo(2);
    }

    @Test
    void tokensStrictlyIncreaseAcrossHoldersWhateverTheSequence() {
        var rnd = new Random(42);
        Optional<Lease> cur = Optional.empty();
        Instant now = T0;
        long lastIssued = 0;
        UUID lastHolder = null;
        for (int i = 0; i < 10_000; i++) {
            now = now.plusMillis(rnd.nextInt(3000));
            switch (rnd.nextInt(3)) {
                case 0, 1 -> {
                    UUID who = rnd.nextBoolean() ? a : b;
                    var out = LeaseRules.acquire(cur, "g", "l", who, "x", "h", 1 + rnd.nextInt(3), now);
                    if (out instanceof LeaseRules.Acquired.Granted g) {
                        if (g.renewed()) assertThat(g.lease().token()).isEqualTo(lastIssued);
                        else assertThat(g.lease().token()).isGreaterThan(lastIssued);
                        if (!who.equals(lastHolder) || !g.renewed()) lastHolder = who;
                        lastIssued = g.lease().token();
                        cur = Optional.of(g.lease());
                    }
                }
                default -> cur = cur.map(Lease::freed); // release or revoke
            }
        }
        assertThat(lastIssued).isGreaterThan(100);
    }

    @Test
    void fencedWritesPassOnlyWithTheCurrentTokenOfAHeldLease() {
        var l = new Lease("g", "leader", a, "a", "h1", 4, 10, T0.plusSeconds(10));
        assertThat(LeaseRules.fencedWrite(Optional.of(l), "leader", 4, T0)).isEmpty();
        assertThat(LeaseRules.fencedWrite(Optional.of(l), "leader", 3, T0)).contains(
                "fencing token 3 of lease leader is stale: the lease is at token 4, held by a");
        assertThat(LeaseRules.fencedWrite(Optional.of(l.freed()), "leader", 4, T0)).contains(
                "fencing token 4 of lease leader is stale: the lease is no longer held");
        assertThat(LeaseRules.fencedWrite(Optional.of(l), "leader", 4, T0.plusSeconds(10))).isPresent();
        assertThat(LeaseRules.fencedWrite(Optional.empty(), "leader", 1, T0)).contains("lease leader was never held; fencing token 1 is not valid");
    }

    @Test
    void compareAndSetMatchesTheLiveRevisionOnly() {
        var e = new KvEntry("g", "k", "v", 7);
        assertThat(KvRules.compareAndSet(Optional.of(e), "k", 7L)).isEmpty();
        assertThat(KvRules.compareAndSet(Optional.of(e), "k", 6L)).contains("key k is at revision 7, cas=6 does not match");
        assertThat(KvRules.compareAndSet(Optional.of(e), "k", 0L)).contains("key k already exists at revision 7, cas=0 asks to create it");
        assertThat(KvRules.compareAndSet(Optional.of(new KvEntry("g", "k", null, 8)), "k", 0L)).isEmpty();
        assertThat(KvRules.compareAndSet(Optional.empty(), "k", 3L)).contains("key k does not exist (current revision 0), cas=3 does not match");
        assertThat(KvRules.compareAndSet(Optional.empty(), "k", null)).isEmpty();
    }
}
