package io.polyvisor.cluster;

import io.polyvisor.leases.ClusterLease;
import io.polyvisor.leases.LeaseNames;
import io.polyvisor.leases.Member;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.drivers.HostOwnership;
import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.model.Host;
import io.polyvisor.store.Store;
import io.polyvisor.tasks.TaskClaims;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Several servers on one PostgreSQL (docs/CLUSTER.md): membership, host ownership and the leader lease, the
 * {@code servers} route, and the feed that brings other servers' events and tasks here. On embedded H2 (one server
 * per database) it is {@link #solo}: this server owns every host, leads, and runs every task, as before.
 */
public final class ClusterFeature implements Feature {
    private final Store store;
    private final String name;
    private final Supplier<java.net.URI> address;
    private final Instant started = Instant.now();
    private volatile Membership membership; // null when solo
    private volatile Controller feed;
    private volatile Store leaseStore; // the membership's own pool, closed after it

    /**
     * A server named {@code name}, alone with its database until {@link #join} (embedded H2 never joins).
     *
     * @param address the API's URL once it listens
     */
    public ClusterFeature(Store store, String name, Supplier<java.net.URI> address) {
        this.store = store;
        this.name = name;
        this.address = address;
    }

    /**
     * Joins the servers sharing the database (PostgreSQL): registers, takes this server's first leases, and wakes
     * {@code executor} whenever it gains a lease or another server writes an event. Membership (heartbeat, renewals,
     * acquisitions) goes through {@code leaseStore}, a pool of its own on the same database, so it never queues behind
     * the server's other work; closed with the membership. Call once, before the controllers
     * are listed.
     *
     * @throws ServerNameTaken if a live server already has the name
     */
    public void join(ClusterSettings settings, io.polyvisor.events.Journal journal, Runnable executor, Store leaseStore) {
        Membership m = Membership.join(leaseStore, settings);
        this.leaseStore = leaseStore;
        m.onGain(executor);
        this.feed = new ChangeFeed(store, journal, executor);
        this.membership = m;
    }

    public boolean clustered() {
        return membership != null;
    }

    public HostOwnership ownership() {
        return membership == null ? HostOwnership.ALL : membership;
    }

    public TaskClaims claims() {
        return membership == null ? TaskClaims.ALL : new LeaseClaims(membership, store);
    }

    /**
     * A feature's controllers as cluster-wide ones: run only while this server leads, made afresh for every leader term
     * ({@code controllers} is called at each term's start); when solo, made once and always run.
     */
    public List<Controller> leaderOnly(java.util.function.Supplier<List<Controller>> controllers) {
        return membership == null ? controllers.get() : List.of(new LeaderOnly(controllers, membership));
    }

    /** The membership's own loop, to start before every other controller and stop after them. */
    public Controller leases() {
        Membership membership = this.membership;
        Store leaseStore = this.leaseStore;
        if (membership == null) return Controller.of(() -> {}, () -> {});
        return new Controller() {
            @Override
            public void start() {
                membership.start();
            }

            @Override
            public void close() {
                membership.close();
                leaseStore.close();
            }

            @Override
            public void halt() {
                membership.halt();
                leaseStore.close();
            }
        };
    }

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/v1/servers", "List the servers sharing this database: address, role, hosts owned, last heartbeat",
                Payload.listOf(ServerView.class), ctx -> ctx.json(servers())));
    }

    @Override
    public List<Controller> controllers() {
        return feed == null ? List.of() : List.of(feed);
    }

    List<ServerView> servers() {
        Membership membership = this.membership;
        if (membership == null) {
            List<String> all = store.hosts().stream().map(Host::name).sorted().toList();
            var url = address.get();
            return List.of(new ServerView(name, url == null ? "" : url.toString(), "leader", true, all, Instant.now(), 0, started, 1));
        }
        long ttl = membership.settings().ttl().toMillis();
        Map<String, List<String>> owned = new HashMap<>();
        String leader = null;
        for (ClusterLease l : store.clusterLeases()) {
            if (!l.live()) continue;
            if (l.name().equals(LeaseNames.LEADER)) leader = l.owner();
            String host = LeaseNames.hostOf(l.name());
            if (host != null) owned.computeIfAbsent(l.owner(), k -> new ArrayList<>()).add(host);
        }
        List<ServerView> out = new ArrayList<>();
        for (Member m : store.clusterMembers()) {
            var hosts = owned.getOrDefault(m.name(), List.of()).stream().sorted().toList();
            out.add(new ServerView(m.name(), m.address(), m.name().equals(leader) ? "leader" : "member", m.alive(ttl), hosts,
                    m.heartbeat(), m.heartbeatAgeMillis(), m.started(), m.epoch()));
        }
        return out;
    }
}
