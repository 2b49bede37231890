package io.polyvisor.bench.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A host of the replay with CloudSim's time-shared, over-subscribable CPU scheduler: a VM's request is
 * capped at one core; when requests exceed the host, every VM is scaled down in proportion (floored);
 * a VM migrating out gets 90 % of its share, a VM migrating in costs the destination 10 % of its MIPS.
 * Memory is reserved only while VMs are created at t=0 (CloudSim's VMs request no memory afterwards).
 */
final class SimHost {
    final int id;
    final PowerCurve power;
    final double peMips, totalMips;
    final List<SimVm> vms = new ArrayList<>();
    final Set<SimVm> migratingIn = new LinkedHashSet<>();
    private final LinkedHashMap<SimVm, Double> requested = new LinkedHashMap<>();
    private final Map<SimVm, Double> allocated = new HashMap<>();
    private final Set<SimVm> schedIn = new HashSet<>(), schedOut = new HashSet<>();
    private double available;
    private int ramFree = 4096, bwFree = 1_000_000;
    double utilMips, prevUtilMips;
    private double allocCache = -1;
    // SLA time per active host, as running sums
    private double lastTime = -1, lastAlloc, lastReq;
    private boolean lastActive = true;
    double activeSeconds, violationSeconds;

    SimHost(int id, PowerCurve power, double peMips) {
        this.id = id;
        this.power = power;
        this.peMips = peMips;
        this.totalMips = 2 * peMips;
        this.available = totalMips;
    }

    double utilization() {
        return cap(utilMips / totalMips);
    }

    double previousUtilization() {
        return cap(prevUtilMips / totalMips);
    }

    private static double cap(double u) {
        return u > 1 && u < 1.01 ? 1 : u;
    }

    /** Watts now, from the last measured utilisation. */
    double watts() {
        return power.at(utilization());
    }

    boolean suitable(SimVm vm) {
        double r = vm.requested();
        return peMips >= r && available >= r && (!vm.instantiating || (ramFree >= vm.ram && bwFree >= 100_000));
    }

    /** Allocated MIPS of the VMs placed here, counting a VM migrating in at its full share. */
    double allocatedMips() {
        if (allocCache < 0) {
            double s = 0;
            for (SimVm v : vms) {
                double a = allocated.getOrDefault(v, 0.0);
                if (migratingIn.contains(v)) s += a * 0.9 / 0.1;
                s += a;
            }
            allocCache = s;
        }
        return allocCache;
    }

    double requestedMips() {
        double s = 0;
        for (SimVm v : vms) s += v.requested();
        return s;
    }

    double allocatedFor(SimVm vm) {
        return allocated.getOrDefault(vm, 0.0);
    }

    boolean create(SimVm vm) {
        if (vm.instantiating) { // memory is only ever reserved at creation: afterwards CloudSim's VMs request none
            if (ramFree < vm.ram) return false;
            ramFree -= vm.ram;
            bwFree -= 100_000;
        }
        allocate(vm, vm.requested());
        vms.add(vm);
        vm.host = this;
        allocCache = -1;
        return true;
    }

    void destroy(SimVm vm) {
        deallocate(vm);
        vms.remove(vm);
        vm.host = null;
        allocCache = -1;
    }

    void destroyAll() {
        requested.clear();
        allocated.clear();
        available = totalMips;
        for (SimVm v : vms) v.host = null;
        vms.clear();
        allocCache = -1;
    }

    void addMigratingIn(SimVm vm, double now) {
        vm.inMigration = true;
        if (migratingIn.contains(vm)) return;
        schedIn.add(vm);
        allocate(vm, vm.requested());
        migratingIn.add(vm);
        vms.add(vm);
        allocCache = -1;
        update(now);
        vm.host.update(now);
    }

    void removeMigratingIn(SimVm vm) {
        deallocate(vm);
        migratingIn.remove(vm);
        vms.remove(vm);
        schedIn.remove(vm);
        vm.inMigration = false;
        allocCache = -1;
    }

    /** HostDynamicWorkload.updateVmsProcessing: re-allocate CPU to current requests and record history. */
    void update(double now) {
        for (SimVm v : vms) v.advance(now);
        prevUtilMips = utilMips;
        utilMips = 0;
        double hostRequested = 0;
        requested.clear();
        allocated.clear();
        available = totalMips;
        for (SimVm v : vms) allocate(v, v.requested());
        for (SimVm v : vms) {
            double r = v.requested(), a = allocated.getOrDefault(v, 0.0);
            if (!migratingIn.contains(v)) {
                v.record(now, a, r, v.inMigration);
                if (v.inMigration) a /= 0.9;
            }
            utilMips += a;
            hostRequested += r;
        }
        allocCache = -1;
        record(now, utilMips, hostRequested, utilMips > 0);
    }

    private void allocate(SimVm vm, double mips) {
        if (vm.inMigration) {
            if (!schedIn.contains(vm)) schedOut.add(vm);
        } else {
            schedOut.remove(vm);
        }
        share(vm, mips);
    }

    private void share(SimVm vm, double mips) {
        double capped = Math.min(mips, peMips), total = capped;
        requested.put(vm, mips);
        if (schedIn.contains(vm)) total *= 0.1;
        if (available >= total) {
            double a = capped;
            if (schedOut.contains(vm)) a *= 0.9;
            else if (schedIn.contains(vm)) a *= 0.1;
            allocated.put(vm, a);
            available -= total;
        } else {
            redistribute();
        }
    }

    private void redistribute() {
        double need = 0;
        for (var e : requested.entrySet()) {
            double c = Math.min(e.getValue(), peMips);
            need += schedIn.contains(e.getKey()) ? c * 0.1 : c;
        }
        double factor = totalMips / need;
        allocated.clear();
        for (var e : requested.entrySet()) {
            SimVm v = e.getKey();
            double m = Math.min(e.getValue(), peMips);
            if (schedOut.contains(v)) m = m * factor * 0.9;
            else if (schedIn.contains(v)) m = m * 0.1 * factor;
            else m = m * factor;
            allocated.put(v, Math.floor(m));
        }
        available = 0;
    }

    private void deallocate(SimVm vm) {
        if (vm.instantiating && vms.contains(vm)) {
            ramFree += vm.ram;
            bwFree += 100_000;
        }
        requested.remove(vm);
        allocated.clear();
        available = totalMips;
        for (var e : new ArrayList<>(requested.entrySet())) share(e.getKey(), e.getValue());
    }

    private void record(double t, double alloc, double req, boolean active) {
        if (lastTime != -1 && t != lastTime && lastActive) {
            double dt = t - lastTime;
            activeSeconds += dt;
            if (lastAlloc < lastReq) violationSeconds += dt;
        }
        lastTime = t;
        lastAlloc = alloc;
        lastReq = req;
        lastActive = active;
    }
}
