package io.polyvisor.ha;

import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Priority;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.FirstFit;
import io.polyvisor.placement.Placement;
import io.polyvisor.placement.PlacementRequest;
import io.polyvisor.sim.HostHealth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Chaos on the simulator: random host crashes, partitions, heals, recoveries, guest crashes, broken fencing,
 * creates and deletes, with many protected VMs, on virtual time. After every 100 ms tick: no VM runs on two
 * hosts (so no partitioned host's VM was restarted before it was fenced). After every step's bound: every
 * protected VM runs again unless it is stranded (its host could not be fenced) or no host has room for it;
 * and a cluster that admission control declared safe for one failure, losing one host, restarts everything.
 */
class HaChaosTest {
    static final Duration BOUND = Duration.ofSeconds(3); // detection (~1 s) + fence + restart, on virtual time
    static final int STEPS = 120;
    int refusedCreates;

    @ParameterizedTest
    @ValueSource(longs = {11, 23, 37})
    void invariantsHoldThroughRandomFailures(long seed) {
        var rnd = new Random(seed);
        try (var c = new SimCluster("chaos-" + seed + "-" + UUID.randomUUID().toString().substring(0, 6), seed, 6, 16, 16)) {
            c.ha.settings(new HaSettings(1, 5));
            int created = 0, refused = 0;
            for (int i = 0; i < 34; i++) {
                if (tryCreate(c, rnd, i)) created++;
                else refused++;
            }
            c.run(Duration.ofSeconds(2));
            int crashes = 0, partitions = 0, checks = 0, promiseChecks = 0;
            for (int step = 0; step < STEPS; step++) {
                boolean safe = c.ha.admission() instanceof Admission.Admitted && allHealthy(c);
                String did = chaosStep(c, rnd, step);
                String failed = did.startsWith("crash ") || did.startsWith("partition ") ? did.substring(did.indexOf(' ') + 1) : null;
                boolean promise = safe && failed != null && !c.brokenFence.contains(failed);
                if (did.startsWith("crash")) crashes++;
                if (did.startsWith("partition")) partitions++;
                for (long t = 0; t < BOUND.toMillis(); t += SimCluster.TICK_MS) {
                    c.tick();
                    noVmRunsTwice(c, did);
                }
                checks += everyProtectedVmRunsWhenItCan(c, did, promise);
                if (promise) promiseChecks++;
            }
            System.out.printf("chaos seed %d: %d steps (%d host crashes, %d partitions), %d VMs admitted at start, %d refused by placement or"
                    + " admission (later: %d), %d protected-VM checks, %d admission-promise checks%n", seed, STEPS, crashes, partitions,
                    created, refused, refusedCreates, checks, promiseChecks);
            assertThat(crashes + partitions).isGreaterThan(STEPS / 4);
            assertThat(checks).isGreaterThan(STEPS * 5);
            assertThat(promiseChecks).isPositive();
        }
    }

    /** Creates a VM the way the API does: place with the placer, then ask admission control. */
    boolean tryCreate(SimCluster c, Random rnd, int i) {
        Protection p = switch (rnd.nextInt(6)) {
            case 0 -> Protection.NONE;
            case 1, 2 -> Protection.STANDBY;
            default -> Protection.RESTART;
        };
        var vm = new Vm(UUID.randomUUID(), "vm" + i + "-" + rnd.nextInt(1000), VmSpec.of(1 + rnd.nextInt(2), (1 + rnd.nextInt(3)) * Sizes.GiB),
                Map.of(), p, new Priority(1 + rnd.nextInt(5)), PowerIntent.RUNNING, VmState.PENDING, null);
        var snapshot = HaController.schedulable(ClusterSnapshot.of(c.store.hosts(), c.liveVms()), c.ha.health());
        if (!(new FirstFit().place(snapshot, PlacementRequest.of(vm)) instanceof Placement.Placed placed)) return false;
        if (!(c.ha.admit(vm, placed.host()) instanceof Admission.Admitted)) return false;
        c.create(vm.withHost(placed.host()));
        return true;
    }

    String chaosStep(SimCluster c, Random rnd, int step) {
        var hosts = c.dc.hosts();
        String h = hosts.get(rnd.nextInt(hosts.size()));
        var up = c.upHosts();
        int roll = rnd.nextInt(100);
        if (roll < 25 && up.size() > 3 && up.contains(h)) {
            c.dc.crashHost(h);
            return "crash " + h;
        }
        if (roll < 40 && up.size() > 3 && up.contains(h)) {
            c.dc.partition(h);
            return "partition " + h;
        }
        if (roll < 65) {
            for (String x : hosts) {
                if (c.dc.health(x) == HostHealth.PARTITIONED) { c.dc.heal(x); return "heal " + x; }
                if (c.dc.health(x) == HostHealth.CRASHED) { c.dc.recover(x); return "recover " + x; }
            }
        }
        if (roll < 75) {
            var running = c.liveVms().stream().filter(v -> v.state() instanceof VmState.Running).toList();
            if (!running.isEmpty()) {
                Vm v = running.get(rnd.nextInt(running.size()));
                if (!c.dc.runningOn(v.id()).isEmpty()) {
                    c.dc.vmCrash(v.id());
                    return "guest crash " + v.name();
                }
            }
        }
        if (roll < 82) {
            if (!c.brokenFence.remove(h)) c.brokenFence.add(h);
            return "fencing of " + h + (c.brokenFence.contains(h) ? " broken" : " repaired");
        }
        if (roll < 92) {
            int ok = 0;
            for (int i = 0; i < 3; i++) if (tryCreate(c, rnd, 1000 + 3 * step + i)) ok++;
            refusedCreates += 3 - ok;
            return "create " + ok + " of 3";
        }
        var deletable = c.liveVms().stream().filter(v -> !HaLabels.isStandby(v) && v.intent() != PowerIntent.DELETED).toList();
        if (!deletable.isEmpty()) {
            Vm v = deletable.get(rnd.nextInt(deletable.size()));
            c.delete(v);
            return "delete " + v.name();
        }
        return "nothing";
    }

    static void noVmRunsTwice(SimCluster c, String step) {
        for (Vm v : c.store.vms()) {
            List<String> on = c.dc.runningOn(v.id());
            if (on.size() > 1) fail("after '" + step + "', " + v.name() + " runs on " + on + "\n" + String.join("\n", c.lastEvents(30)));
        }
    }

    /**
     * Every protected VM that should run is running, unless its host's fencing failed (stranded) or the placer
     * finds no host for it now. With {@code promised} (the cluster was admitted for one failure and one host
     * failed), the capacity excuse is not accepted. Returns how many VMs were checked.
     */
    static int everyProtectedVmRunsWhenItCan(SimCluster c, String step, boolean promised) {
        int checked = 0;
        var health = c.ha.health();
        var live = c.liveVms();
        var snapshot = HaController.schedulable(ClusterSnapshot.of(c.store.hosts(), live), health);
        for (Vm v : live) {
            boolean prot = v.protection() != Protection.NONE || HaLabels.isStandby(v);
            if (!prot || v.intent() != PowerIntent.RUNNING) continue;
            checked++;
            if (v.state() instanceof VmState.Running && c.dc.runningOn(v.id()).equals(List.of(v.host()))) continue;
            var hostHealth = health.get(v.host());
            if (hostHealth instanceof io.polyvisor.ha.HostHealth.FenceFailed || hostHealth instanceof io.polyvisor.ha.HostHealth.Fencing) continue;
            if (HaLabels.isStandby(v)) {
                // a standby may only go where its primary is not
                var primary = live.stream().filter(p -> HaLabels.standbyOf(v).get().equals(p.id())).findFirst();
                if (primary.isPresent() && !(new FirstFit().place(snapshot, new PlacementRequest(v, null, Set.of(primary.get().host())))
                        instanceof Placement.Placed)) continue;
            } else if (!promised && !(new FirstFit().place(snapshot, new PlacementRequest(v, null, Set.of(v.host()))) instanceof Placement.Placed)) {
                continue;
            }
            fail("after '" + step + "' and " + BOUND.toSeconds() + " s, protected " + v.name() + " is " + v.state().label()
                    + (v.state().detail() != null ? " (" + v.state().detail() + ")" : "") + " on " + v.host() + " (" + hostHealth
                    + "), running on " + c.dc.runningOn(v.id()) + (promised ? ", though admission control promised room" : ", though a host has room")
                    + "; last tasks: " + c.store.tasks(v.id(), null, 2).stream().map(t -> t.kind() + " " + t.status() + " " + t.error()).toList()
                    + "\n" + String.join("\n", c.lastEvents(40)));
        }
        return checked;
    }

    static boolean allHealthy(SimCluster c) {
        return c.ha.health().values().stream().allMatch(h -> h instanceof io.polyvisor.ha.HostHealth.Healthy)
                && c.upHosts().size() == c.dc.hosts().size();
    }

    static List<String> names(List<Vm> vms) {
        var out = new ArrayList<String>();
        vms.forEach(v -> out.add(v.name()));
        return out;
    }
}
