package io.polyvisor.lifecycle;

import io.polyvisor.drivers.Connections;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Capacity;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.placement.Scheduler;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDriver;
import io.polyvisor.spi.DriverRegistry;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import io.polyvisor.tasks.TaskQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Racing creates must never take the same last room twice nor the same name twice, however creates are serialised
 * (VmRequests places under a lock; a faster create path must keep both).
 */
class ConcurrentCreatesTest {
    @TempDir
    Path data;

    /**
     * 24 racing creates for a host with room for exactly four, each create's transaction held open 30 ms (a slow commit):
     * the placement of the next create must count the ones placed but not yet committed.
     */
    @Test
    void racingCreatesNeverOverfillAHost() throws Exception {
        try (Store store = Stores.embedded(data.resolve("db"))) {
            store.insertHost(new Host("h1", URI.create("sim://race/h1"), new Capacity(64, 4 * Sizes.GiB), Map.of(), HostState.CONNECTED));
            Connections conns = new Connections(new DriverRegistry(List.of(new SimDriver())), store);
            VmNetworking slowCommit = new VmNetworking() {
                @Override
                public VmSpec assign(Store tx, UUID vm, String project, VmSpec spec) {
                    return spec;
                }

                @Override
                public void reserve(Store tx, Vm vm) {
                    try {
                        Thread.sleep(30);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void join(Store tx, Vm vm, List<String> secgroups) {}

                @Override
                public void prepare(Vm vm, io.polyvisor.spi.HostConnection host) {}
            };
            var scheduler = new Scheduler(PlacementSettings.DEFAULTS);
            var requests = new VmRequests(store, () -> scheduler, () -> ClusterSnapshot.of(store.hosts(), store.vms()),
                    new VmUpdates(store), new Journal(store), conns, new TaskQueue(() -> {}, Clock.systemUTC()), slowCommit);
            ExecutorService pool = Executors.newFixedThreadPool(24);
            var go = new CountDownLatch(1);
            List<Future<Boolean>> done = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String name = "r" + i;
                done.add(pool.submit(() -> {
                    go.await();
                    try {
                        requests.create(new VmRequests.Create(name, VmSpec.of(1, Sizes.GiB), Map.of(), null, null, null, false));
                        return true;
                    } catch (Refusal e) {
                        assertThat(e.kind()).as(e.getMessage()).isEqualTo(Refusal.Kind.UNPLACEABLE);
                        return false;
                    }
                }));
            }
            go.countDown();
            int accepted = 0;
            for (var f : done) accepted += f.get() ? 1 : 0;
            pool.shutdown();
            assertThat(accepted).isEqualTo(4);
            assertThat(store.vmsOnHost("h1")).hasSize(4);
        }
    }

    @Test
    void racingCreatesOfOneNameMakeOneVm() throws Exception {
        try (var s = TestServer.start(data, 2)) {
            var answers = race(16, i -> "{\"name\":\"dup\",\"vcpus\":1,\"memory\":\"64M\",\"start\":false}", s);
            int accepted = 0;
            for (var r : answers) {
                if (r.status() == 202) accepted++;
                else assertThat(r.text()).contains("a VM named dup already exists");
            }
            assertThat(accepted).isEqualTo(1);
            assertThat(s.get("/api/v1/vms").json().size()).isEqualTo(1);
        }
    }

    private static List<TestServer.Response> race(int clients, IntFunction<String> body, TestServer s) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            var go = new CountDownLatch(1);
            List<Future<TestServer.Response>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String b = body.apply(i);
                futures.add(pool.submit(() -> {
                    go.await();
                    return s.post("/api/v1/vms", b);
                }));
            }
            go.countDown();
            List<TestServer.Response> out = new ArrayList<>();
            for (var f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdown();
        }
    }
}
