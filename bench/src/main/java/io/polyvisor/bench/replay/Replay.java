package io.polyvisor.bench.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Replays one PlanetLab day under a policy with the semantics of CloudSim 3.0.3's power package
 * (PowerDatacenter): 800 hosts (even ids HP ML110 G4, odd G5), one VM per trace in four contiguous type
 * blocks, a tick every 300 s starting at 300.1 s, energy integrated between events from the utilisation
 * at both ends, migrations that take RAM / 62.5 MB/s, VMs whose request drops to 0 leaving for good.
 * Mutable and single-threaded; one instance per run.
 */
public final class Replay {
    static final double INTERVAL = 300, LIMIT = 86_400, MIGRATION_BYTES_PER_MB_SEC = 1_000_000.0 / (2 * 8000);
    static final double[] VM_MIPS = {2500, 2000, 1000, 500};
    static final int[] VM_RAM = {870, 1740, 1740, 613};
    public static final int HOSTS = 800;

    final List<SimHost> hosts = new ArrayList<>();
    final List<SimVm> vms = new ArrayList<>();
    final List<SimVm> created = new ArrayList<>();
    private final PriorityQueue<Pending> pending = new PriorityQueue<>();
    double clock, lastProcess;
    private double energy;
    private int migrations;
    private long seq;

    private record Pending(double time, long seq, SimVm vm, SimHost target) implements Comparable<Pending> {
        public int compareTo(Pending o) {
            int c = Double.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    public Replay(TraceDay day, int hostCount) {
        for (int i = 0; i < hostCount; i++) {
            hosts.add(i % 2 == 0 ? new SimHost(i, PowerCurve.G4, 1860) : new SimHost(i, PowerCurve.G5, 2660));
        }
        int n = day.traces().size(), block = (int) Math.ceil(n / 4.0);
        for (int i = 0; i < n; i++) {
            int type = i / block;
            vms.add(new SimVm(i, VM_MIPS[type], VM_RAM[type], day.traces().get(i)));
        }
    }

    ReplayResult run(ReplayPolicy policy, String day) {
        long started = System.nanoTime();
        clock = 0;
        for (SimVm vm : new ArrayList<>(vms)) {
            SimHost h = policy.initialHost(this, vm);
            if (h == null || !h.create(vm)) {
                vms.remove(vm);
                continue;
            }
            vm.placedOn = h;
            vm.instantiating = false; // Datacenter.processVmCreate: created VMs stop requesting their full MIPS at once
            vm.advance(0);
            created.add(vm);
        }
        for (SimVm vm : vms) vm.running = true; // cloudlets are submitted at 0.1 s
        double tick = 0.1 + INTERVAL;
        while (true) {
            Pending next = pending.peek();
            if (next != null && next.time <= tick) {
                if (next.time > LIMIT) break;
                completeMigration(pending.poll());
            } else {
                if (tick > LIMIT) break;
                tick(policy, tick);
                tick += INTERVAL;
            }
        }
        double joules = Double.isNaN(policy.fixedEnergyJoules(this)) ? energy : policy.fixedEnergyJoules(this);
        return ReplayResult.of(policy.name(), day, joules, migrations, hosts, created, (System.nanoTime() - started) / 1e9);
    }

    private void tick(ReplayPolicy policy, double t) {
        clock = t;
        if (t <= lastProcess) return;
        process(t);
        for (ReplayPolicy.Migration m : policy.optimize(this)) {
            m.target().addMigratingIn(m.vm(), t);
            migrations++;
            pending.add(new Pending(t + m.vm().ram / MIGRATION_BYTES_PER_MB_SEC, seq++, m.vm(), m.target()));
        }
        lastProcess = t;
    }

    private void completeMigration(Pending p) {
        clock = p.time;
        if (clock > lastProcess) process(clock);
        SimVm vm = p.vm;
        SimHost was = vm.placedOn;
        vm.placedOn = null;
        if (was != null) was.destroy(vm);
        p.target.removeMigratingIn(vm);
        p.target.create(vm);
        vm.placedOn = p.target;
        vm.inMigration = false;
        Pending next = pending.peek();
        if (next == null || next.time > clock) process(clock);
    }

    /** updateCloudetProcessingWithoutSchedulingFutureEventsForce: advance hosts, integrate energy, drop finished VMs. */
    private void process(double t) {
        double dt = t - lastProcess;
        for (SimHost h : hosts) h.update(t);
        if (dt > 0) {
            for (SimHost h : hosts) energy += h.power.energy(h.previousUtilization(), h.utilization(), dt);
        }
        for (SimHost h : hosts) {
            List<SimVm> done = new ArrayList<>();
            for (SimVm v : h.vms) if (!v.inMigration && v.requested() == 0) done.add(v);
            for (SimVm v : done) {
                if (v.placedOn != null) v.placedOn.destroy(v);
                v.placedOn = null;
                v.removed = true;
                vms.remove(v);
            }
        }
        lastProcess = t;
    }
}
