package io.polyvisor.placement;

import io.polyvisor.model.Host;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What filters and scorers read: the snapshot's hosts by index with their hard capacities (after
 * overcommit), what is reserved on each, and where each rule group runs. Built once per scheduling
 * session in O(hosts + VMs); a session's own placements are added with {@link #reserve} so that later
 * requests in the same session see them. Plugins only read it.
 */
public final class ClusterView {
    private final List<Host> hosts;
    private final Map<String, Integer> index = new HashMap<>();
    private final double[] cpuCap, memCap, cpuUsed, memUsed;
    private final int[] vmCount;
    /** group name -> host index -> VMs of that group there, one map per rule kind (sparse: groups are small). */
    private final Map<String, Map<Integer, Integer>> affinity = new HashMap<>(), antiAffinity = new HashMap<>();
    private final Map<String, Map<Integer, Integer>> softAffinity = new HashMap<>(), softAntiAffinity = new HashMap<>();
    /** Standby pairs by the primary's id: where each instance is placed (a migrating one on both ends). */
    private final Map<UUID, List<PairMember>> pairs = new HashMap<>();
    /** Primaries a standby in the snapshot refers to: indexed as pair members whatever their protection. */
    private final Set<UUID> backed = new HashSet<>();
    final FreeIndex free;
    final FullnessIndex fullness;
    private final boolean[] open;

    /** One placed instance of a standby pair: {@code standby} false for the primary. */
    public record PairMember(UUID vm, String name, boolean standby, int host) {}

    ClusterView(ClusterSnapshot snapshot, PlacementSettings settings) {
        hosts = snapshot.hosts();
        int n = hosts.size();
        cpuCap = new double[n];
        memCap = new double[n];
        cpuUsed = new double[n];
        memUsed = new double[n];
        vmCount = new int[n];
        for (int i = 0; i < n; i++) {
            Host h = hosts.get(i);
            index.put(h.name(), i);
            cpuCap[i] = h.capacity().cpus() * settings.cpuOvercommit();
            memCap[i] = h.capacity().memoryBytes() * settings.memoryOvercommit();
        }
        for (Vm vm : snapshot.vms()) {
            UUID primary = standbyOf(vm);
            if (primary != null && !(vm.state() instanceof VmState.Deleted)) backed.add(primary);
        }
        for (Vm vm : snapshot.vms()) {
            if (vm.state() instanceof VmState.Deleted) continue;
            Integer at = vm.host() == null ? null : index.get(vm.host());
            Demand d = null;
            if (at != null) add(at, d = Demand.of(PlacementRequest.of(vm)));
            if (vm.state() instanceof VmState.Migrating m && index.containsKey(m.to()) && !m.to().equals(vm.host())) {
                add(index.get(m.to()), d == null ? Demand.of(PlacementRequest.of(vm)) : d); // in flight: held on both ends
            }
        }
        double[] fc = new double[n], fm = new double[n];
        open = new boolean[n];
        for (int i = 0; i < n; i++) {
            open[i] = hosts.get(i).state().schedulable();
            fc[i] = open[i] ? cpuCap[i] - cpuUsed[i] : -1;
            fm[i] = open[i] ? memCap[i] - memUsed[i] : -1;
        }
        free = new FreeIndex(fc, fm);
        fullness = new FullnessIndex(cpuCap, memCap, cpuUsed, memUsed, open);
    }

    /** Whether host {@code i} is schedulable and has the vCPUs and memory of {@code d} free (what the indexes look for). */
    boolean hasRoom(int i, Demand d) {
        return open[i] && cpuCap[i] - cpuUsed[i] >= d.vcpus() && memCap[i] - memUsed[i] >= d.memoryBytes();
    }

    public int size() {
        return hosts.size();
    }

    public Host host(int i) {
        return hosts.get(i);
    }

    /** Host index by name, or -1. */
    public int indexOf(String name) {
        return index.getOrDefault(name, -1);
    }

    public double cpuCapacity(int i) {
        return cpuCap[i];
    }

    public double cpuReserved(int i) {
        return cpuUsed[i];
    }

    public double memoryCapacity(int i) {
        return memCap[i];
    }

    public double memoryReserved(int i) {
        return memUsed[i];
    }

    public int vmCount(int i) {
        return vmCount[i];
    }

    /** VMs of hard affinity group {@code g} on host {@code i}. */
    public int affinityCount(String g, int i) {
        return count(affinity, g, i);
    }

    /** Whether any VM of hard affinity group {@code g} is placed anywhere. */
    public boolean affinityPlaced(String g) {
        return affinity.containsKey(g);
    }

    public int antiAffinityCount(String g, int i) {
        return count(antiAffinity, g, i);
    }

    public int softAffinityCount(String g, int i) {
        return count(softAffinity, g, i);
    }

    public boolean softAffinityPlaced(String g) {
        return softAffinity.containsKey(g);
    }

    public int softAntiAffinityCount(String g, int i) {
        return count(softAntiAffinity, g, i);
    }

    /**
     * The other instance of {@code vm}'s standby pair placed on host {@code i}, or null: its standby when {@code vm}
     * is a primary, its primary when {@code vm} is a standby. {@code vm}'s own placements are never its partner.
     */
    public PairMember pairPartnerOn(Vm vm, int i) {
        UUID primary = standbyOf(vm);
        List<PairMember> members = pairs.get(primary != null ? primary : vm.id());
        if (members == null) return null;
        for (PairMember m : members) {
            if (m.host() == i && !m.vm().equals(vm.id())) return m;
        }
        return null;
    }

    /** The primary's id if {@code vm} is a standby (label {@link PlacementRules#STANDBY_OF}), else null. */
    static UUID standbyOf(Vm vm) {
        String v = vm.labels().get(PlacementRules.STANDBY_OF);
        if (v == null) return null;
        try {
            return UUID.fromString(v);
        } catch (IllegalArgumentException notAnId) {
            return null; // not written by HA: no pair
        }
    }

    /** Records a placement made in this session so later requests see it. */
    void reserve(int i, Demand d) {
        add(i, d);
        reindex(i);
    }

    /** Removes a VM's reservation from host {@code i} (it moves away in a plan). */
    void release(int i, Demand d) {
        change(i, d, -1);
        reindex(i);
    }

    private void reindex(int i) {
        free.set(i, open[i] ? cpuCap[i] - cpuUsed[i] : -1, open[i] ? memCap[i] - memUsed[i] : -1);
        fullness.update(i, cpuUsed[i], memUsed[i]);
    }

    private void add(int i, Demand d) {
        change(i, d, 1);
    }

    private void change(int i, Demand d, int sign) {
        cpuUsed[i] += sign * d.vcpus();
        memUsed[i] += sign * (double) d.memoryBytes();
        vmCount[i] += sign;
        pairMember(i, d.vm(), sign);
        PlacementRules r = d.rules();
        if (r == PlacementRules.NONE) return;
        bump(affinity, r.affinity(), i, sign);
        bump(antiAffinity, r.antiAffinity(), i, sign);
        bump(softAffinity, r.softAffinity(), i, sign);
        bump(softAntiAffinity, r.softAntiAffinity(), i, sign);
    }

    private void pairMember(int i, Vm vm, int sign) {
        UUID primary = standbyOf(vm);
        if (primary == null && vm.protection() != Protection.STANDBY && !backed.contains(vm.id())) return;
        UUID key = primary != null ? primary : vm.id();
        if (sign > 0) {
            pairs.computeIfAbsent(key, k -> new ArrayList<>(2)).add(new PairMember(vm.id(), vm.name(), primary != null, i));
            return;
        }
        List<PairMember> members = pairs.get(key);
        if (members == null) return;
        for (int k = 0; k < members.size(); k++) {
            if (members.get(k).vm().equals(vm.id()) && members.get(k).host() == i) {
                members.remove(k);
                break;
            }
        }
        if (members.isEmpty()) pairs.remove(key);
    }

    private static void bump(Map<String, Map<Integer, Integer>> m, String g, int i, int sign) {
        if (g == null) return;
        Map<Integer, Integer> c = m.computeIfAbsent(g, k -> new HashMap<>(4));
        if (c.merge(i, sign, Integer::sum) <= 0) c.remove(i);
        if (c.isEmpty()) m.remove(g);
    }

    private static int count(Map<String, Map<Integer, Integer>> m, String g, int i) {
        Map<Integer, Integer> c = g == null ? null : m.get(g);
        return c == null ? 0 : c.getOrDefault(i, 0);
    }
}
