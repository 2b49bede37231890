package io.polyvisor.bench.placement;

import io.polyvisor.model.Host;
import io.polyvisor.model.Vm;
import io.polyvisor.placement.PlacementRules;
import io.polyvisor.placement.PlacementSettings;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The textbook reference a peer would pick: online best fit on the binding resource, with an index. Hosts sit in a
 * tree ordered by free memory (memory is the hard limit in the bench's mix: vCPUs may be overcommitted
 * {@link PlacementSettings#cpuOvercommit()} times, memory not); a request starts at the first host with enough free
 * memory and takes the first one, in ascending order of free memory, that also has the vCPUs and passes the same hard
 * rules as Polyvisor's scheduler (anti-affinity groups, {@code host.require.zone}). Each placement is O(log n) plus the
 * hosts skipped for vCPUs or rules. Not thread-safe; one instance per run.
 */
final class BestFit {
    private final List<Host> hosts;
    private final double[] freeCpu;
    private final long[] freeMem;
    private final TreeSet<Integer> byFreeMemory;
    private final Map<String, Set<Integer>> groups = new HashMap<>();
    private final int probe;

    BestFit(List<Host> hosts, PlacementSettings settings) {
        this.hosts = hosts;
        int n = hosts.size();
        freeCpu = new double[n + 1];
        freeMem = new long[n + 1]; // slot n: the probe a search starts from
        for (int i = 0; i < n; i++) {
            freeCpu[i] = hosts.get(i).capacity().cpus() * settings.cpuOvercommit();
            freeMem[i] = (long) (hosts.get(i).capacity().memoryBytes() * settings.memoryOvercommit());
        }
        probe = n;
        // ties by index, the probe first: a search from the probe meets every host with exactly that much free
        byFreeMemory = new TreeSet<>((a, b) -> freeMem[a] != freeMem[b] ? Long.compare(freeMem[a], freeMem[b])
                : Integer.compare(a == probe ? -1 : a, b == probe ? -1 : b));
        for (int i = 0; i < n; i++) byFreeMemory.add(i);
    }

    /** The host index {@code vm} was placed on, or -1 when no host can take it. */
    int place(Vm vm) {
        int vcpus = vm.spec().vcpus();
        long mem = vm.spec().memoryBytes();
        String group = vm.labels().get(PlacementRules.ANTI_AFFINITY);
        String zone = vm.labels().get(PlacementRules.REQUIRE + "zone");
        Set<Integer> taken = group == null ? Set.of() : groups.getOrDefault(group, Set.of());
        freeMem[probe] = mem;
        for (int h : byFreeMemory.tailSet(probe, false)) {
            if (freeCpu[h] < vcpus || taken.contains(h)) continue;
            if (zone != null && !zone.equals(hosts.get(h).labels().get("zone"))) continue;
            byFreeMemory.remove(h);
            freeMem[h] -= mem;
            freeCpu[h] -= vcpus;
            byFreeMemory.add(h);
            if (group != null) groups.computeIfAbsent(group, g -> new HashSet<>()).add(h);
            return h;
        }
        return -1;
    }
}
