package io.polyvisor.cluster;

import io.polyvisor.leases.ClusterLease;
import io.polyvisor.leases.HostAssignment;
import io.polyvisor.leases.LeaseNames;
import io.polyvisor.leases.Member;
import io.polyvisor.drivers.HostOwnership;
import io.polyvisor.model.Host;
import io.polyvisor.store.Store;
import io.polyvisor.store.WriteFence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * This server's membership and leases (docs/CLUSTER.md). Every {@code renew}, on a thread of its own: heartbeat and
 * renew every lease held. Every {@code renew} on another: read the live members, assign hosts
 * ({@link HostAssignment}), acquire the free or expired leases of the hosts assigned here, hand over those assigned elsewhere (stop taking work on them, release once no task of theirs runs
 * here), and try for the leader lease.
 *
 * <p>Contract: a lease is trusted here only until {@code sent + ttl - margin}, where {@code sent} is when its last
 * successful renewal was sent, by this process's monotonic clock; the database lets nobody else take it before
 * {@code renewal + ttl} by its own clock, later still. So {@link #owns} and {@link #leader} turn false before
 * anyone else can hold the lease, whatever the clocks say, even if this process was paused or lost the database.
 * A write that must not happen after the lease is lost also checks it in the database ({@link LeaseClaims}).
 */
public final class Membership implements HostOwnership, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    /** A lease held here: its epoch, until when it is trusted (System.nanoTime), and whether it is being handed over. */
    private record Held(long epoch, long trustedUntil, boolean draining) {}

    private final Store store;
    private final ClusterSettings s;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final List<Runnable> onGain = new CopyOnWriteArrayList<>();
    private final List<LeaderOnly> leaderWork = new CopyOnWriteArrayList<>();
    private final Thread loop;
    /** Heartbeat and renewals on a thread of their own, on time whatever a round costs (thousands of hosts, a busy database). */
    private final Thread renewer;
    /** Renewals exclude each other, not rounds: a slow round never delays a renewal. */
    private final Object renewal = new Object();
    private final Thread watchdog;
    private volatile boolean stopped;
    private volatile boolean leading;
    private final Object leadership = new Object();
    /**
     * Starts and halts the leader's controllers, one term after another, off the lease loop and the watchdog: halting
     * a controller may wait for its round to end, and renewals must not wait for that.
     */
    private final java.util.concurrent.ExecutorService terms = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("cluster-leadership").unstarted(r));

    private Membership(Store store, ClusterSettings s) {
        this.store = store;
        this.s = s;
        this.loop = Thread.ofPlatform().daemon().name("cluster-leases").unstarted(this::loop);
        this.renewer = Thread.ofPlatform().daemon().name("cluster-renew").unstarted(this::renewing);
        this.watchdog = Thread.ofPlatform().daemon().name("cluster-watchdog").unstarted(this::watch);
    }

    /**
     * Registers this server and takes its first leases (one round), before any controller starts.
     *
     * @throws ServerNameTaken if a live server of another data folder has the name
     */
    public static Membership join(Store store, ClusterSettings s) {
        store.joinCluster(s.name(), s.instance(), s.address(), s.ttl().toMillis()).ifPresent(m -> {
            throw new ServerNameTaken(m);
        });
        var m = new Membership(store, s);
        m.round();
        log.info("joined the cluster as {} (leader: {}, hosts owned: {})", s.name(), m.leader(), m.ownedHosts());
        return m;
    }

    public String name() {
        return s.name();
    }

    public ClusterSettings settings() {
        return s;
    }

    /** Starts renewing (the first round ran in {@link #join}). */
    public void start() {
        renewer.start();
        loop.start();
        watchdog.start();
    }

    /** Called after this server gained leases (hosts or leader): the executor should look for their tasks now. */
    public void onGain(Runnable r) {
        onGain.add(r);
    }

    @Override
    public boolean owns(String host) {
        Held h = held.get(LeaseNames.host(host));
        return h != null && !h.draining() && trusted(h);
    }

    public boolean leader() {
        Held h = held.get(LeaseNames.LEADER);
        return h != null && trusted(h);
    }

    @Override
    public WriteFence fence(java.util.Collection<String> hosts) {
        Map<String, Long> leases = new java.util.HashMap<>();
        for (String host : hosts) leases.put(LeaseNames.host(host), active(LeaseNames.host(host)).orElse(-1));
        return leases.isEmpty() ? NOTHING_OWNED : new WriteFence(s.name(), leases);
    }

    /** The fence of this server's leader term now (epoch -1, refused, when it does not lead). */
    WriteFence leaderFence() {
        return WriteFence.of(s.name(), LeaseNames.LEADER, active(LeaseNames.LEADER).orElse(-1));
    }

    /** Work about no host owned here writes nothing. */
    private static final WriteFence NOTHING_OWNED = WriteFence.of("-", "none", -1);

    /** The hosts this server owns now, sorted. */
    public Set<String> ownedHosts() {
        Set<String> out = new TreeSet<>();
        held.forEach((lease, h) -> {
            String host = LeaseNames.hostOf(lease);
            if (host != null && !h.draining() && trusted(h)) out.add(host);
        });
        return out;
    }

    /** The epoch of {@code lease} if new work may start under it here now (held, trusted, not being handed over). */
    OptionalLong active(String lease) {
        Held h = held.get(lease);
        return h != null && !h.draining() && trusted(h) ? OptionalLong.of(h.epoch()) : OptionalLong.empty();
    }

    /** Whether work already started under {@code lease} at {@code epoch} may still record: held at that epoch and trusted. */
    boolean stillHolds(String lease, long epoch) {
        Held h = held.get(lease);
        return h != null && h.epoch() == epoch && trusted(h);
    }

    /** Counts a task running under {@code lease}: a host is released in a handover only once none runs. */
    void running(String lease, int delta) {
        running.computeIfAbsent(lease, k -> new AtomicInteger()).addAndGet(delta);
    }

    void register(LeaderOnly work) {
        synchronized (leadership) {
            leaderWork.add(work);
            if (leading) {
                WriteFence fence = leaderFence();
                term(() -> work.lead(fence));
            }
        }
    }

    private boolean trusted(Held h) {
        return !stopped && System.nanoTime() - h.trustedUntil() < 0;
    }

    private void loop() {
        while (!stopped) {
            try {
                Thread.sleep(s.renew());
            } catch (InterruptedException e) {
                return;
            }
            try {
                round();
            } catch (RuntimeException e) {
                // the database is unreachable or refused: leases lapse here by themselves (trust ends before their TTL)
                log.warn("cluster lease round failed: {}", e.toString());
            }
        }
    }

    /** Every {@code renew}, counted from the start of the previous renewal: heartbeat and renew every lease held. */
    private void renewing() {
        long next = System.nanoTime();
        while (!stopped) {
            next += s.renew().toNanos();
            try {
                Thread.sleep(Math.max(1, (next - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
            next = Math.max(next, System.nanoTime() - s.renew().toNanos()); // after a stall, no burst of catch-up renewals
            try {
                renew();
            } catch (RuntimeException e) {
                log.warn("cluster lease renewal failed: {}", e.toString());
            }
        }
    }

    /**
     * Heartbeat, then renew every lease held in one statement. A lease renewed is trusted until {@code sent + ttl -
     * margin}; one not renewed (expired, taken at a newer epoch) is dropped at once. A round may change the map
     * meanwhile (a lease acquired, a handover begun): only the entries still at the renewed epoch are touched.
     */
    void renew() {
        synchronized (renewal) {
            renewOnce();
        }
    }

    private void renewOnce() {
        if (stopped) return;
        long sent = System.nanoTime();
        long trustedUntil = sent + s.ttl().minus(s.margin()).toNanos();
        if (!store.clusterHeartbeat(s.name(), s.instance())) {
            log.error("another server now runs under the name {}: this one stops acting on every lease", s.name());
            stopped = true;
            held.clear();
            checkLeadership();
            return;
        }
        var snapshot = List.copyOf(held.entrySet());
        Map<String, Long> epochs = new java.util.HashMap<>();
        snapshot.forEach(e -> epochs.put(e.getKey(), e.getValue().epoch()));
        var renewed = store.renewLeases(s.name(), epochs, s.ttl().toMillis());
        for (var e : snapshot) {
            long epoch = e.getValue().epoch();
            if (renewed.contains(e.getKey())) {
                held.computeIfPresent(e.getKey(), (k, cur) -> cur.epoch() == epoch ? new Held(epoch, trustedUntil, cur.draining()) : cur);
            } else if (held.computeIfPresent(e.getKey(), (k, cur) -> cur.epoch() == epoch ? null : cur) == null) {
                log.warn("lease {} (epoch {}) could not be renewed: this server no longer acts on it", e.getKey(), epoch);
            }
        }
        checkLeadership();
    }

    /** One round: read members, hosts and leases, reassign, acquire, hand over, lead (renewals run on their own). */
    synchronized void round() {
        if (stopped) return;
        long ttl = s.ttl().toMillis();
        boolean gained = false;
        var alive = new ArrayList<String>();
        for (Member m : store.clusterMembers()) if (m.alive(ttl) || m.name().equals(s.name())) alive.add(m.name());
        var hosts = store.hosts().stream().map(Host::name).toList();
        Map<String, String> current = new java.util.HashMap<>();
        for (ClusterLease l : store.clusterLeases()) {
            String host = LeaseNames.hostOf(l.name());
            if (host != null && l.live()) current.put(host, l.owner());
        }
        var owners = HostAssignment.assign(alive, hosts, current);
        List<String> wanted = new ArrayList<>();
        for (var e : owners.entrySet()) {
            String lease = LeaseNames.host(e.getKey());
            String holder = current.get(e.getKey()); // a live lease of another server: it hands the host over first
            if (e.getValue().equals(s.name()) && !held.containsKey(lease) && (holder == null || holder.equals(s.name()))) wanted.add(lease);
        }
        long sent = System.nanoTime();
        for (var e : store.acquireLeases(wanted, s.name(), ttl).entrySet()) {
            held.put(e.getKey(), new Held(e.getValue(), sent + s.ttl().minus(s.margin()).toNanos(), false));
            log.info("owns host {} (epoch {})", LeaseNames.hostOf(e.getKey()), e.getValue());
            gained = true;
        }
        handOver(owners);
        if (!held.containsKey(LeaseNames.LEADER)) {
            sent = System.nanoTime();
            OptionalLong epoch = store.acquireLease(LeaseNames.LEADER, s.name(), ttl);
            if (epoch.isPresent()) {
                held.put(LeaseNames.LEADER, new Held(epoch.getAsLong(), sent + s.ttl().minus(s.margin()).toNanos(), false));
                log.info("{} is the leader (epoch {})", s.name(), epoch.getAsLong());
                gained = true;
            }
        }
        checkLeadership();
        if (gained) onGain.forEach(Runnable::run);
    }

    /** Hosts assigned elsewhere (or gone): stop new work at once, release once nothing of theirs runs here. */
    private void handOver(Map<String, String> owners) {
        for (var e : List.copyOf(held.entrySet())) {
            String host = LeaseNames.hostOf(e.getKey());
            if (host == null || s.name().equals(owners.get(host))) continue;
            Held h = e.getValue();
            if (!h.draining()) {
                held.computeIfPresent(e.getKey(), (k, cur) -> cur.epoch() == h.epoch() ? new Held(cur.epoch(), cur.trustedUntil(), true) : cur);
                log.info("handing host {} over to {}", host, owners.getOrDefault(host, "nobody (removed)"));
            }
            var n = running.get(e.getKey());
            if (n == null || n.get() <= 0) {
                held.computeIfPresent(e.getKey(), (k, cur) -> cur.epoch() == h.epoch() ? null : cur);
                store.releaseLease(e.getKey(), s.name(), h.epoch());
            }
        }
    }

    /** Every 100 ms: leader work stops as soon as the leader lease is no longer trusted, even while a round hangs. */
    private void watch() {
        while (!stopped) {
            checkLeadership();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void checkLeadership() {
        synchronized (leadership) {
            changeLeadership();
        }
    }

    /**
     * Starts a leader term when the leader lease is held and trusted, ends it (its controllers halted, as by
     * {@code kill -9}) as soon as it is not. A server that lost the lease (paused, cut off) keeps trying for it in every
     * round and, once it holds it again at a new epoch, starts a new term with fresh controllers.
     */
    private void changeLeadership() {
        boolean now = leader();
        if (now && !leading && !stopped) {
            leading = true;
            WriteFence fence = leaderFence();
            leaderWork.forEach(w -> term(() -> w.lead(fence)));
        } else if (!now && leading) {
            leading = false;
            if (!stopped) {
                log.error("lost the leader lease: the cluster-wide controllers stop here and another server leads;"
                        + " this server keeps trying for the lease and leads again when it holds it");
            }
            leaderWork.forEach(w -> term(w::abdicate));
        }
    }

    private void term(Runnable change) {
        try {
            terms.execute(change);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // halted: the last term already ended
        }
    }

    /** Graceful: stops renewing, leaves the membership and ends this server's leases at once. */
    @Override
    public void close() {
        halt();
        try {
            store.leaveCluster(s.name(), s.instance());
        } catch (RuntimeException e) {
            log.warn("could not leave the cluster cleanly (leases expire by themselves): {}", e.toString());
        }
    }

    /** As {@code kill -9}: stops renewing; the leases expire by their TTL. */
    public void halt() {
        stopped = true;
        loop.interrupt();
        renewer.interrupt();
        watchdog.interrupt();
        try {
            if (loop.isAlive()) loop.join(5_000);
            if (renewer.isAlive()) renewer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        held.clear();
        checkLeadership();
        terms.shutdown();
        try {
            if (!terms.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) terms.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For a predicate over hosts. */
    public Predicate<String> ownership() {
        return this::owns;
    }
}
