package io.polyvisor.balance;

import io.polyvisor.model.Host;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The working copy of measured load a plan is built on: per host CPU (cores) and memory (bytes) in use,
 * which VMs are where, and the imbalance (mean of the population std devs of the CPU and memory
 * fractions over schedulable hosts), kept as running sums so a candidate move is scored in O(1).
 */
final class Loads {
    final List<Host> hosts;
    final double[] cpuCap, memCap, cpu, mem;
    final boolean[] open;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<Integer, List<Vm>> vmsOn = new HashMap<>();
    private final Map<UUID, Double> vmCpu = new HashMap<>();
    private final Map<UUID, Double> vmMem = new HashMap<>();
    private int n;
    private double sc, sc2, sm, sm2;

    Loads(ClusterSnapshot s, Map<UUID, Double> forecast) {
        hosts = s.hosts();
        int size = hosts.size();
        cpuCap = new double[size];
        memCap = new double[size];
        cpu = new double[size];
        mem = new double[size];
        open = new boolean[size];
        for (int i = 0; i < size; i++) {
            Host h = hosts.get(i);
            index.put(h.name(), i);
            cpuCap[i] = h.capacity().cpus();
            memCap[i] = h.capacity().memoryBytes();
            open[i] = h.state().schedulable() && cpuCap[i] > 0 && memCap[i] > 0;
            vmsOn.put(i, new ArrayList<>());
        }
        for (Vm vm : s.vms()) {
            Integer at = vm.host() == null ? null : index.get(vm.host());
            if (at == null || vm.state() instanceof VmState.Deleted) continue;
            var u = s.usage().get(vm.id());
            double c = forecast.getOrDefault(vm.id(), u == null ? 0 : u.cpuCores());
            double m = u == null ? vm.spec().memoryBytes() : u.memoryBytes();
            vmCpu.put(vm.id(), c);
            vmMem.put(vm.id(), m);
            vmsOn.get(at).add(vm);
            cpu[at] += c;
            mem[at] += m;
        }
        for (int i = 0; i < size; i++) if (open[i]) add(i, 1);
    }

    int indexOf(String host) {
        return index.getOrDefault(host, -1);
    }

    List<Vm> vmsOn(int h) {
        return vmsOn.get(h);
    }

    double cpuOf(Vm vm) {
        return vmCpu.getOrDefault(vm.id(), 0.0);
    }

    double memOf(Vm vm) {
        return vmMem.getOrDefault(vm.id(), 0.0);
    }

    double cpuFraction(int h) {
        return cpuCap[h] <= 0 ? 0 : cpu[h] / cpuCap[h];
    }

    double memFraction(int h) {
        return memCap[h] <= 0 ? 0 : mem[h] / memCap[h];
    }

    double imbalance() {
        return n == 0 ? 0 : (std(sc, sc2) + std(sm, sm2)) / 2;
    }

    /** The imbalance if {@code vm} moved from {@code from} to {@code to}, without moving it. */
    double imbalanceIfMoved(Vm vm, int from, int to) {
        double saveSc = sc, saveSc2 = sc2, saveSm = sm, saveSm2 = sm2;
        shift(vm, from, to);
        double r = imbalance();
        shift(vm, to, from);
        sc = saveSc;
        sc2 = saveSc2;
        sm = saveSm;
        sm2 = saveSm2;
        return r;
    }

    void move(Vm vm, int from, int to) {
        shift(vm, from, to);
        vmsOn.get(from).remove(vm);
        vmsOn.get(to).add(vm);
    }

    private void shift(Vm vm, int from, int to) {
        if (open[from]) add(from, -1);
        if (open[to]) add(to, -1);
        cpu[from] -= cpuOf(vm);
        mem[from] -= memOf(vm);
        cpu[to] += cpuOf(vm);
        mem[to] += memOf(vm);
        if (open[from]) add(from, 1);
        if (open[to]) add(to, 1);
    }

    private void add(int i, int sign) {
        double c = cpuFraction(i), m = memFraction(i);
        n += sign;
        sc += sign * c;
        sc2 += sign * c * c;
        sm += sign * m;
        sm2 += sign * m * m;
    }

    private double std(double s, double s2) {
        double mean = s / n;
        return Math.sqrt(Math.max(0, s2 / n - mean * mean));
    }
}
