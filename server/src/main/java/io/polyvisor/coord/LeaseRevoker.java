package io.polyvisor.coord;

import io.polyvisor.coordination.Lease;
import io.polyvisor.coordination.Revocation;
import io.polyvisor.model.Event;
import io.polyvisor.model.Host;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Revokes leases whose holder can no longer be leader, without waiting for the TTL. Two inputs, one decision:
 * <ul>
 *   <li>the journal, through {@link Store#onEvent}: {@code host.fenced} marks every lease whose holder last ran on
 *       that host, and {@code vm.fenced}, {@code vm.restarting}, {@code vm.failover}, {@code vm.lost}, {@code vm.deleted}
 *       mark the leases of that VM (a restarted guest lost its memory, so it is not the leader it was). Each such
 *       event wakes a sweep at once;</li>
 *   <li>a sweep of every held lease every {@link #TICK}, which applies {@link Revocation} to the holder as stored (it
 *       also covers events this process did not see: another server's, or ones before a restart).</li>
 * </ul>
 * A revocation is a compare-and-set on the lease's token ({@link Coordination#revoke}): a lease meanwhile taken by a new
 * holder is never freed by a stale decision.
 */
final class LeaseRevoker {
    private static final Logger log = LoggerFactory.getLogger(LeaseRevoker.class);
    static final Duration TICK = Duration.ofMillis(200);
    private static final Set<String> HOST_EVENTS = Set.of("host.fenced");
    private static final Set<String> VM_EVENTS = Set.of("vm.fenced", "vm.restarting", "vm.failover", "vm.lost", "vm.deleted");

    private final Store store;
    private final Coordination coord;
    private final Clock clock;
    private final Map<String, Instant> fencedHosts = new ConcurrentHashMap<>();
    private final Map<String, Instant> hitVms = new ConcurrentHashMap<>();
    private ScheduledExecutorService loop;
    private AutoCloseable subscription;

    LeaseRevoker(Store store, Coordination coord, Clock clock) {
        this.store = store;
        this.coord = coord;
        this.clock = clock;
    }

    synchronized void start() {
        if (loop != null) return;
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coord-revoker");
            t.setDaemon(true);
            return t;
        });
        subscription = store.onEvent(this::heard);
        loop.scheduleWithFixedDelay(this::sweepSafely, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Called on the committing thread: must not block; it only notes the subject and schedules a sweep. */
    private void heard(Event e) {
        Instant at = e.at();
        if (HOST_EVENTS.contains(e.type())) fencedHosts.put(e.subject(), at);
        else if (VM_EVENTS.contains(e.type())) hitVms.put(e.subject(), at);
        else return;
        ScheduledExecutorService l = loop;
        if (l != null) {
            try {
                l.execute(this::sweepSafely);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // closing: nothing more to revoke
            }
        }
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (Throwable t) {
            log.warn("lease revocation sweep failed; trying again in {} ms", TICK.toMillis(), t);
        }
    }

    /** One pass over every held lease. */
    void sweep() {
        Instant now = clock.instant();
        Map<UUID, Optional<Vm>> vms = new HashMap<>();
        Map<String, Optional<Host>> hosts = new HashMap<>();
        for (Lease l : store.leases(null)) {
            if (!l.heldAt(now)) continue;
            Optional<String> reason = byEvent(l);
            if (reason.isEmpty()) {
                Optional<Vm> vm = vms.computeIfAbsent(l.holder(), store::vm);
                Optional<Host> host = l.holderHost() == null ? Optional.empty() : hosts.computeIfAbsent(l.holderHost(), store::host);
                reason = Revocation.reason(l, vm, host);
            }
            reason.ifPresent(r -> coord.revoke(l, r));
        }
        // marks older than any lease's TTL can no longer concern a held lease acquired before them
        Instant old = now.minus(Duration.ofMinutes(11));
        fencedHosts.values().removeIf(t -> t.isBefore(old));
        hitVms.values().removeIf(t -> t.isBefore(old));
    }

    /** A revoking event about the lease's holder or its host, later than the lease's last acquire or renew. */
    private Optional<String> byEvent(Lease l) {
        Instant acquired = l.expiresAt().minusSeconds(l.ttlSeconds());
        Instant hostAt = l.holderHost() == null ? null : fencedHosts.get(l.holderHost());
        if (hostAt != null && !hostAt.isBefore(acquired)) return Optional.of("host " + l.holderHost() + " of holder VM " + l.holderName() + " was fenced");
        Instant vmAt = hitVms.get(l.holderName());
        if (vmAt != null && !vmAt.isBefore(acquired)) return Optional.of("holder VM " + l.holderName() + " was fenced, restarted, lost or deleted");
        return Optional.empty();
    }

    synchronized void close() {
        if (loop == null) return;
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("closing the event subscription", e);
        }
        loop.shutdownNow();
        loop = null;
    }
}
