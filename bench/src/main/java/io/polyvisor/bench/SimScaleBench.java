package io.polyvisor.bench;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.sim.SimClock;
import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.PowerState;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How large and how fast the simulator is, measured through the driver SPI the way controllers use it, against
 * baselines taken in the same run:
 * <ol>
 *   <li>build: add the hosts, define and start every VM through {@code Compute}; baseline: putting the same
 *       {@link DomainInfo} records into plain per-host hash maps (the least any in-memory simulator must do);</li>
 *   <li>heap: bytes the data centre holds per VM, after GC;</li>
 *   <li>observe: one sweep of {@code stats().host()} and {@code compute().list()} over every host;</li>
 *   <li>virtual time: live migrations on a virtual clock; baseline: the same migrations in real time, i.e. the
 *       simulated seconds they take.</li>
 * </ol>
 */
public final class SimScaleBench {

    /** @param migrationVmMemoryBytes memory of each VM (each migration takes memory / 1 GiB/s of simulated time) */
    public record Settings(int hosts, int vmsPerHost, int migrations, long migrationVmMemoryBytes, long seed) {
        public Settings {
            InvalidInput.require(hosts >= 2 && hosts <= 100_000, "hosts must be between 2 and 100000, got " + hosts);
            InvalidInput.require(vmsPerHost >= 1 && vmsPerHost <= 1000, "vms per host must be between 1 and 1000, got " + vmsPerHost);
            InvalidInput.require(migrations >= 0 && migrations <= hosts * vmsPerHost,
                    "migrations must be between 0 and the number of VMs (" + hosts * vmsPerHost + "), got " + migrations);
        }
    }

    public record Result(int hosts, int vms, long baselineMapMillis, long buildMillis, double spiCallsPerSecond,
                         double overheadVsMap, long heapBytesPerVm, double observeSweepMillis, int migrations,
                         double simulatedMigrationSeconds, long migrationWallMillis) {}

    private SimScaleBench() {}

    public static Result run(Settings s) {
        int vms = s.hosts() * s.vmsPerHost();
        var spec = VmSpec.of(2, s.migrationVmMemoryBytes());
        long baseline = baselineNanos(s, spec);

        long heapBefore = heapAfterGc();
        var clock = SimClock.virtual(Instant.parse("2026-01-01T00:00:00Z"));
        var dc = SimDatacenter.create("bench-scale", s.seed(), clock);
        long t0 = System.nanoTime();
        var conns = new ArrayList<HostConnection>(s.hosts());
        for (int h = 0; h < s.hosts(); h++) {
            var name = "h" + h;
            dc.addHost(name, 64, Math.max(256 * Sizes.GiB, 2L * s.vmsPerHost() * spec.memoryBytes()));
            var c = dc.connect(name);
            conns.add(c);
            for (int v = 0; v < s.vmsPerHost(); v++) {
                var id = new UUID(h, v);
                c.compute().define(id, "vm-" + h + "-" + v, spec);
                c.compute().start(id);
            }
        }
        long buildNanos = System.nanoTime() - t0;
        long heapBytesPerVm = (heapAfterGc() - heapBefore) / vms;

        double sweep = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) sweep = Math.min(sweep, observeSweepMillis(conns));

        var before = clock.now();
        long m0 = System.nanoTime();
        for (int i = 0; i < s.migrations(); i++) {
            int h = i % s.hosts();
            var id = new UUID(h, i / s.hosts() % s.vmsPerHost());
            conns.get(h).migration().migrate(id, conns.get((h + 1) % s.hosts()), f -> {});
        }
        long migrationWall = System.nanoTime() - m0;
        double simulated = Duration.between(before, clock.now()).toNanos() / 1e9;
        SimDatacenter.create("bench-scale", s.seed(), clock); // let the big one be collected

        return new Result(s.hosts(), vms, baseline / 1_000_000, buildNanos / 1_000_000,
                2.0 * vms / (buildNanos / 1e9), (double) buildNanos / Math.max(1, baseline), heapBytesPerVm, sweep,
                s.migrations(), simulated, migrationWall / 1_000_000);
    }

    /** Same records in plain maps: the floor for holding this many VMs in memory. */
    private static long baselineNanos(Settings s, VmSpec spec) {
        long t0 = System.nanoTime();
        var hosts = new HashMap<String, Map<UUID, DomainInfo>>();
        for (int h = 0; h < s.hosts(); h++) {
            var vms = new HashMap<UUID, DomainInfo>(8);
            hosts.put("h" + h, vms);
            for (int v = 0; v < s.vmsPerHost(); v++) {
                var id = new UUID(h, v);
                vms.put(id, new DomainInfo(id, "vm-" + h + "-" + v, PowerState.RUNNING, spec.vcpus(), spec.memoryBytes()));
            }
        }
        long nanos = System.nanoTime() - t0;
        if (hosts.size() != s.hosts()) throw new IllegalStateException("baseline lost hosts");
        return nanos;
    }

    private static double observeSweepMillis(List<HostConnection> conns) {
        long t0 = System.nanoTime();
        long seen = 0;
        for (var c : conns) {
            c.stats().host();
            seen += c.compute().list().size();
        }
        if (seen == 0) throw new IllegalStateException("observe sweep saw no VMs");
        return (System.nanoTime() - t0) / 1e6;
    }

    private static long heapAfterGc() {
        var mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }
}
