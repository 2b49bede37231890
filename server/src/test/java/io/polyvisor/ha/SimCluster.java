package io.polyvisor.ha;

import io.polyvisor.model.Capacity;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.placement.FirstFit;
import io.polyvisor.sim.SimClock;
import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.sim.VirtualClock;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import io.polyvisor.tasks.TaskQueue;
import io.polyvisor.tasks.TaskRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated data centre on a virtual clock, a real store (H2 in memory) and the real HA controller,
 * stepped 100 ms at a time: heartbeats from every host that answers, one HA tick, queued tasks run.
 */
final class SimCluster implements AutoCloseable {
    static final long TICK_MS = 100;
    final VirtualClock clock = SimClock.virtual(Instant.parse("2026-01-01T00:00:00Z"));
    final SimDatacenter dc;
    final Store store;
    final Map<String, HostConnection> conns = new ConcurrentHashMap<>();
    /** Hosts whose fencing is broken (no fence method answers): their VMs must never be restarted. */
    final Set<String> brokenFence = ConcurrentHashMap.newKeySet();
    final List<String> events = new ArrayList<>();
    final HaController ha;
    final SyncTaskRunner runner;
    /** The server's task queue; {@link #runner} plays the executor, so nothing needs waking. */
    final TaskQueue tasks = new TaskQueue(() -> { }, java.time.Clock.systemUTC());

    SimCluster(String name, long seed, int hosts, int cpus, int memGiB) {
        dc = SimDatacenter.create(name, seed, clock);
        store = Stores.open("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
        for (int i = 1; i <= hosts; i++) {
            String h = "h" + i;
            dc.addHost(h, cpus, memGiB * Sizes.GiB);
            store.insertHost(new Host(h, dc.uri(h), new Capacity(cpus, memGiB * Sizes.GiB), Map.of(), HostState.CONNECTED));
            conns.put(h, dc.connect(h));
        }
        HostAccess access = new HostAccess() {
            @Override
            public HostConnection connect(String host) {
                return conns.get(host);
            }

            @Override
            public Optional<HostConnection> open(String host) {
                return brokenFence.contains(host) ? Optional.empty() : Optional.ofNullable(conns.get(host));
            }
        };
        EventSink sink = (type, subject, message) -> {
            synchronized (events) {
                events.add(clock.now() + " " + type.wireName() + " " + subject + ": " + message);
            }
            store.appendEvent(type.wireName(), subject, message);
        };
        ha = new HaController(new HaWiring(store, access, sink, new FirstFit(), VmLocks.NONE, tasks,
                () -> clock.now().toEpochMilli(), Runnable::run, service -> { }, DetectorSettings.DEFAULTS));
        runner = new SyncTaskRunner(store, access, sink);
    }

    /** One 100 ms step. */
    void tick() {
        clock.advance(Duration.ofMillis(TICK_MS));
        for (var e : conns.entrySet()) if (e.getValue().alive()) ha.heartbeat(e.getKey());
        ha.tick();
        runner.runAll();
        runner.observe();
    }

    void run(Duration d) {
        for (long t = 0; t < d.toMillis(); t += TICK_MS) tick();
    }

    /** Records a new VM with its CREATE task, as the API does after placement and admission. */
    void create(Vm vm) {
        store.inTransaction(tx -> {
            tx.insertVm(vm);
            tasks.enqueue(tx, new TaskRequest.Create(vm.id(), vm.host()));
            return null;
        });
    }

    void delete(Vm vm) {
        store.inTransaction(tx -> {
            tx.updateVm(vm.withIntent(io.polyvisor.model.PowerIntent.DELETED));
            tasks.enqueue(tx, new TaskRequest.Delete(vm.id()));
            return null;
        });
    }

    List<Vm> liveVms() {
        return store.vms().stream().filter(v -> !(v.state() instanceof io.polyvisor.model.VmState.Deleted)).toList();
    }

    Set<String> upHosts() {
        var out = new HashSet<String>();
        for (String h : dc.hosts()) if (dc.health(h) == io.polyvisor.sim.HostHealth.UP) out.add(h);
        return out;
    }

    List<String> lastEvents(int n) {
        synchronized (events) {
            return List.copyOf(events.subList(Math.max(0, events.size() - n), events.size()));
        }
    }

    @Override
    public void close() {
        conns.values().forEach(HostConnection::close);
        store.close();
    }
}
