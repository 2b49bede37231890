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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Places {@code vms} seeded requests one by one on {@code hosts} hosts, timing each call, with three policies over the
 * same requests and the same hard rules: Polyvisor's scheduler (a session: each placement sees the previous ones),
 * {@code best-fit-indexed} ({@link BestFit}: online, the throughput reference) and {@code best-fit-decreasing} (the
 * same best fit over the requests sorted largest first: offline, the quality reference). Quality is the capacity of
 * the hosts a policy opens against the fluid lower bound of the demand ({@link #boundCores}), so a policy is not
 * credited for opening small hosts instead of large ones. Requests: 1-16 vCPUs, 1-64 GiB, 5 % with an anti-affinity
 * group of 4, 5 % requiring a zone. Each policy first places every request once untimed on its own fresh hosts, so
 * no policy pays for the JIT compiling its code (the one measured first used to).
 */
public final class PlacementBench {
    /**
     * @param placementsPerSec    placements / wall-clock seconds of the placing thread's loop
     * @param placementsPerCpuSec placements / CPU seconds of that thread (what the code costs on a busy machine)
     * @param heapMb              heap retained by the policy's state after a GC (not garbage)
     * @param coresOpened         cores of the hosts that received at least one VM
     * @param capacityVsBound     coresOpened / {@link #boundCores} of the placed requests (1.0 is unbeatable)
     */
    public record Result(String policy, int hosts, int vms, int placed, double placementsPerSec, double placementsPerCpuSec,
                         double p50Us, double p99Us, double heapMb, int hostsUsed, long coresOpened, double capacityVsBound,
                         double seconds) {}

    private PlacementBench() {}

    public static List<Result> run(int hosts, int vms, long seed) {
        List<Host> hs = hosts(hosts);
        List<Vm> requests = requests(vms, seed);
        var settings = PlacementSettings.DEFAULTS;
        List<Result> out = new ArrayList<>();
        out.add(measure("polyvisor", hs, requests, settings, () -> {
            Scheduler.Session s = new Scheduler(settings).session(new ClusterSnapshot(hs, List.of(), Map.of()));
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < hs.size(); i++) index.put(hs.get(i).name(), i);
            return vm -> s.place(PlacementRequest.of(vm)) instanceof Placement.Placed ok ? index.get(ok.host()) : -1;
        }));
        out.add(measure("best-fit-indexed", hs, requests, settings, () -> new BestFit(hs, settings)::place));
        List<Vm> decreasing = new ArrayList<>(requests);
        decreasing.sort(Comparator.comparingLong((Vm v) -> v.spec().memoryBytes()).thenComparingInt(v -> v.spec().vcpus()).reversed());
        out.add(measure("best-fit-decreasing", hs, decreasing, settings, () -> new BestFit(hs, settings)::place));
        return out;
    }

    /**
     * The fluid lower bound, in host cores, of the capacity any placement of {@code placed} must open: every opened
     * host of c cores holds at most c times the most generous vCPUs-per-core and bytes-per-core of any host (after
     * overcommit), so the cores opened are at least the demand of each resource divided by that ratio.
     */
    static double boundCores(List<Host> hosts, List<Vm> placed, PlacementSettings settings) {
        double cpuPerCore = 0, memPerCore = 0;
        for (Host h : hosts) {
            cpuPerCore = Math.max(cpuPerCore, settings.cpuOvercommit());
            memPerCore = Math.max(memPerCore, h.capacity().memoryBytes() * settings.memoryOvercommit() / h.capacity().cpus());
        }
        double vcpus = 0, mem = 0;
        for (Vm v : placed) {
            vcpus += v.spec().vcpus();
            mem += v.spec().memoryBytes();
        }
        return Math.max(vcpus / cpuPerCore, mem / memPerCore);
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

    /** A policy under measurement: the index of the host it placed a VM on, or -1. */
    private interface Policy {
        int place(Vm vm);
    }

    private static Result measure(String name, List<Host> hosts, List<Vm> requests, PlacementSettings settings,
                                  java.util.function.Supplier<Policy> policy) {
        Policy warm = policy.get(); // untimed pass on a fresh instance: each policy is timed with its code compiled
        for (Vm vm : requests) warm.place(vm);
        warm = null;
        System.gc();
        long heapBefore = used();
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        Policy p = policy.get();
        long[] lat = new long[requests.size()];
        Set<Integer> usedHosts = new HashSet<>();
        List<Vm> placed = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            long t0 = System.nanoTime();
            int h = p.place(requests.get(i));
            lat[i] = System.nanoTime() - t0;
            if (h >= 0) {
                placed.add(requests.get(i));
                usedHosts.add(h);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
        System.gc();
        long heapAfter = used();
        java.lang.ref.Reference.reachabilityFence(p); // its state counts in the heap figure
        Arrays.sort(lat);
        double heapMb = Math.max(0, heapAfter - heapBefore) / (1024.0 * 1024);
        long cores = 0;
        for (int h : usedHosts) cores += hosts.get(h).capacity().cpus();
        double bound = boundCores(hosts, placed, settings);
        return new Result(name, hosts.size(), requests.size(), placed.size(), requests.size() / seconds,
                requests.size() / cpuSeconds, lat[lat.length / 2] / 1e3,
                lat[(int) Math.min(lat.length - 1, Math.floor(lat.length * 0.99))] / 1e3, heapMb, usedHosts.size(), cores,
                bound > 0 ? cores / bound : 0, seconds);
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
