package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several threads start, stop, suspend and migrate VMs at once on the real clock: memory is never over a
 * host's capacity, the accounting stays exact, and no VM ever runs on two hosts.
 */
class ConcurrencyTest {
    static final int HOSTS = 4;
    static final int VMS = 40;
    static final int THREADS = 6;
    static final int OPS = 400;

    @Test
    void concurrentOperationsKeepMemoryAccountingExactAndVmsSingle() throws Exception {
        var settings = SimSettings.instant().withMigrationBandwidth(Sizes.TiB); // 1 GiB moves in ~1 ms
        var dc = SimDatacenter.create("concurrency", 3, SimClock.real(), settings);
        var conns = new ArrayList<HostConnection>();
        for (int h = 0; h < HOSTS; h++) {
            dc.addHost("h" + h, 8, 8 * Sizes.GiB);
            conns.add(dc.connect("h" + h));
        }
        var ids = new ArrayList<UUID>();
        for (int i = 0; i < VMS; i++) {
            var id = new UUID(0, i);
            ids.add(id);
            conns.get(i % HOSTS).compute().define(id, "vm" + i, VmSpec.of(1, Sizes.GiB));
        }
        var violations = new ArrayList<String>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        try {
            var watcher = pool.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    synchronized (violations) {
                        violations.addAll(check(dc));
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                workers.add(pool.submit(() -> work(new SplittableRandom(seed), conns, ids)));
            }
            int succeeded = 0;
            for (var w : workers) succeeded += w.get(60, TimeUnit.SECONDS);
            watcher.cancel(true);
            assertThat(succeeded).as("operations that took effect").isGreaterThan(THREADS * OPS / 4);
        } finally {
            pool.shutdownNow();
        }
        violations.addAll(check(dc));
        assertThat(violations).isEmpty();
    }

    /** Random operations on random VMs wherever they are now; returns how many succeeded. */
    private static int work(SplittableRandom r, List<HostConnection> conns, List<UUID> ids) {
        int ok = 0;
        for (int i = 0; i < OPS; i++) {
            var id = ids.get(r.nextInt(ids.size()));
            var where = conns.stream().filter(c -> c.compute().lookup(id).isPresent()).findFirst();
            if (where.isEmpty()) continue; // in flight between hosts
            var c = where.get();
            try {
                switch (r.nextInt(5)) {
                    case 0 -> c.compute().start(id);
                    case 1 -> c.compute().destroy(id);
                    case 2 -> c.compute().suspend(id);
                    case 3 -> c.compute().resume(id);
                    default -> c.migration().migrate(id, conns.get(r.nextInt(conns.size())), f -> {});
                }
                ok++;
            } catch (DriverException expected) {
                // no room, not running, already migrating, same host: refusals the test provokes on purpose
            }
        }
        return ok;
    }

    private static List<String> check(SimDatacenter dc) {
        return dc.locked(() -> {
            var out = new ArrayList<String>();
            var live = new HashMap<UUID, String>();
            for (var name : List.copyOf(dc.hosts())) {
                var h = dc.hostNamed(name);
                long sum = 0;
                for (var vm : h.vms.values()) {
                    if (!vm.live()) continue;
                    sum += vm.memoryBytes;
                    var other = live.put(vm.id, name);
                    if (other != null) out.add(vm.id + " live on " + other + " and " + name);
                }
                if (sum != h.committedBytes) out.add(name + " committed " + h.committedBytes + " but guests hold " + sum);
                if (h.freeBytes() < 0) out.add(name + " over capacity by " + -h.freeBytes() + " bytes");
            }
            return out;
        });
    }
}
