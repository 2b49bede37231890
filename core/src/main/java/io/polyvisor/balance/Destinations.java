package io.polyvisor.balance;

import io.polyvisor.model.Vm;

import java.util.HashSet;
import java.util.Set;

/**
 * Where a VM may go in consolidate mode and during overload relief: a host that stays at or below the
 * target utilization and admits the VM under every hard rule. Among active hosts (those running VMs)
 * it takes the most power-efficient, then the fullest (best fit); if none fits and waking is allowed,
 * the most efficient empty host. In balance mode, the least loaded host instead.
 */
final class Destinations {
    private final Planning p;
    private final boolean packing;
    final Set<Integer> closed = new HashSet<>();

    Destinations(Planning p, boolean packing) {
        this.p = p;
        this.packing = packing;
    }

    int find(Vm vm, int from, boolean mayWake) {
        return find(vm, from, mayWake, p.settings.targetUtilization());
    }

    int find(Vm vm, int from, boolean mayWake, double limit) {
        Loads l = p.loads;
        int best = -1, wake = -1;
        for (int h = 0; h < l.hosts.size(); h++) {
            if (h == from || !l.open[h] || closed.contains(h)) continue;
            if (!fits(vm, h, limit)) continue;
            boolean active = !l.vmsOn(h).isEmpty();
            if (!active && !mayWake) continue;
            if (active ? better(h, best, vm) : better(h, wake, vm)) {
                if (!p.allowed(vm, h)) continue;
                if (active) best = h;
                else wake = h;
            }
        }
        return best >= 0 ? best : wake;
    }

    /** Whether {@code vm} fits on host index {@code h} by measured load: CPU at most {@code limit} of it, memory within it. */
    boolean fits(Vm vm, int h, double limit) {
        Loads l = p.loads;
        return l.cpu[h] + l.cpuOf(vm) <= limit * l.cpuCap[h] && l.mem[h] + l.memOf(vm) <= l.memCap[h];
    }

    private boolean better(int h, int incumbent, Vm vm) {
        if (incumbent < 0) return true;
        Loads l = p.loads;
        if (!packing) return l.cpuFraction(h) < l.cpuFraction(incumbent);
        double eh = watts(h), ei = watts(incumbent);
        if (Math.abs(eh - ei) > 0.01 * Math.min(eh, ei)) return eh < ei;
        return (l.cpu[h] + l.cpuOf(vm)) / l.cpuCap[h] > (l.cpu[incumbent] + l.cpuOf(vm)) / l.cpuCap[incumbent];
    }

    double watts(int h) {
        return HostPower.of(p.loads.hosts.get(h)).wattsPerCore(p.loads.cpuCap[h]);
    }
}
