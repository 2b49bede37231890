package io.polyvisor.bench.placement;

import io.polyvisor.model.Capacity;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.Placement;
import io.polyvisor.placement.PlacementRequest;
import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.placement.Scheduler;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Places {@code vms} requests one by one on {@code hosts} hosts through a scheduler session (each
 * placement sees the previous ones), timing each call. The same requests go to Polyvisor's bounded
 * search and to an exhaustive best-fit scan (every feasible host scored by bin-packing alone).
 * Requests are seeded: 1-16 vCPUs, 1-64 GiB, 5 % with an anti-affinity group of 4, 5 % requiring a zone.
 */
public final class PlacementBench {
    /**
     * @param placementsPerSec    placements / wall-clock seconds of the placing thread's loop
     * @param placementsPerCpuSec placements / CPU seconds of that thread (what the code costs on a busy machine)
     * @param heapMb              heap retained by the session after a GC (its state, not garbage)
     */
    public record Result(String policy, int hosts, int vms, int placed, double placementsPerSec, double placementsPerCpuSec,
                         double p50Us, double p99Us, double heapMb, int hostsUsed, double seconds) {}

    private PlacementBench() {}

    public static List<Result> run(int hosts, int vms, long seed) {
        List<Host> hs = hosts(hosts);
        List<Vm> requests = requests(vms, seed);
        List<Result> out = new ArrayList<>();
        out.add(measure("polyvisor", new Scheduler(PlacementSettings.DEFAULTS), hs, requests));
        out.add(measure("best-fit-exhaustive", new Scheduler(PlacementSettings.DEFAULTS
                .withWeights(Map.of("binpack", 1.0)).withMaxCandidates(Math.max(1, Math.min(10_000, hosts)))), hs, requests));
        return out;
    }

    static List<Host> hosts(int n) {
        List<Host> hs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int cores = i % 3 == 0 ? 96 : 64;
            hs.add(new Host("h" + i, URI.create("sim://bench/h" + i), new Capacity(cores, (cores * 4L) * Sizes.GiB),
                    Map.of("zone", "z" + (i % 4)), HostState.CONNECTED));
        }
        return hs;
    }

    static List<Vm> requests(int n, long seed) {
        Random r = new Random(seed);
        int[] cpus = {1, 2, 2, 4, 4, 8, 16};
        List<Vm> vms = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int c = cpus[r.nextInt(cpus.length)];
            long mem = Math.max(1, Math.round(c * (1 + r.nextInt(4)) * (0.5 + r.nextDouble()))) * Sizes.GiB;
            Map<String, String> labels = new HashMap<>();
            int kind = r.nextInt(20);
            if (kind == 0) labels.put("anti-affinity", "g" + (i / 4));
            if (kind == 1) labels.put("host.require.zone", "z" + r.nextInt(4));
            vms.add(new Vm(new UUID(7, i), "vm-" + i, VmSpec.of(c, Math.min(mem, 64 * Sizes.GiB)), labels, null, null, null,
                    VmState.PENDING, null));
        }
        return vms;
    }

    private static Result measure(String name, Scheduler scheduler, List<Host> hosts, List<Vm> requests) {
        System.gc();
        long heapBefore = used();
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        Scheduler.Session s = scheduler.session(new ClusterSnapshot(hosts, List.of(), Map.of()));
        long[] lat = new long[requests.size()];
        Set<String> usedHosts = new HashSet<>();
        int placed = 0;
        for (int i = 0; i < requests.size(); i++) {
            long t0 = System.nanoTime();
            Placement p = s.place(PlacementRequest.of(requests.get(i)));
            lat[i] = System.nanoTime() - t0;
            if (p instanceof Placement.Placed ok) {
                placed++;
                usedHosts.add(ok.host());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
        System.gc();
        long heapAfter = used();
        if (s.view().size() != hosts.size()) throw new IllegalStateException("session lost hosts"); // keeps s reachable
        Arrays.sort(lat);
        double heapMb = Math.max(0, heapAfter - heapBefore) / (1024.0 * 1024);
        return new Result(name, hosts.size(), requests.size(), placed, requests.size() / seconds, requests.size() / cpuSeconds,
                lat[lat.length / 2] / 1e3,
                lat[(int) Math.min(lat.length - 1, Math.floor(lat.length * 0.99))] / 1e3, heapMb, usedHosts.size(), seconds);
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
