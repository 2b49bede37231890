package io.polyvisor.balance;

import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Vm;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.testing.Gen;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static io.polyvisor.placement.Fixtures.host;
import static io.polyvisor.placement.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants of balancing over random clusters, checked by recomputing from the plan (not by trusting the
 * balancer's own figures): hard capacity and rules hold after the moves, balance mode never raises
 * imbalance, and running again on the applied plan moves nothing back (no ping-pong).
 */
class BalancerProperties {
    private static final PlacementSettings PLACEMENT = PlacementSettings.DEFAULTS.withOvercommit(2, 1);

    record World(List<Host> hosts, List<Vm> vms, Map<UUID, ClusterSnapshot.VmUsage> usage) {
        ClusterSnapshot snapshot() {
            return new ClusterSnapshot(hosts, vms, usage);
        }

        World apply(Plan p) {
            Map<UUID, String> to = new HashMap<>();
            p.moves().forEach(m -> to.put(m.vm(), m.to()));
            return new World(hosts, vms.stream().map(v -> to.containsKey(v.id()) ? v.withHost(to.get(v.id())) : v).toList(), usage);
        }
    }

    static final Gen<World> WORLDS = Gen.of(BalancerProperties::world);

    static World world(Random r) {
        List<Host> hosts = new ArrayList<>();
        int n = 2 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            hosts.add(host("h" + i, 4 + r.nextInt(12), 16 + r.nextInt(48), r.nextInt(8) == 0 ? HostState.MAINTENANCE : HostState.CONNECTED,
                    Map.of("zone", "z" + (i % 2))));
        }
        List<Vm> vms = new ArrayList<>();
        Map<UUID, ClusterSnapshot.VmUsage> usage = new HashMap<>();
        Map<String, double[]> reserved = new HashMap<>();
        int count = r.nextInt(40); // drawn once: a bound redrawn each iteration left worlds of ~6 VMs
        for (int i = 0; i < count; i++) {
            Host h = hosts.get(r.nextInt(n));
            int cpus = 1 + r.nextInt(4), mem = 1 + r.nextInt(8);
            double[] res = reserved.computeIfAbsent(h.name(), k -> new double[2]);
            if (res[0] + cpus > h.capacity().cpus() * 2 || (res[1] + mem) * (1L << 30) > h.capacity().memoryBytes()) continue;
            res[0] += cpus;
            res[1] += mem;
            Map<String, String> labels = switch (r.nextInt(4)) {
                case 0 -> Map.of("anti-affinity", "g" + r.nextInt(3));
                case 1 -> Map.of("host.require.zone", (String) h.labels().get("zone"));
                default -> Map.of();
            };
            if (labels.containsKey("anti-affinity") && vms.stream().anyMatch(v -> h.name().equals(v.host())
                    && labels.get("anti-affinity").equals(v.labels().get("anti-affinity")))) continue;
            Vm vm = vm("v" + i, cpus, mem, h.name(), labels);
            vms.add(vm);
            usage.put(vm.id(), new ClusterSnapshot.VmUsage(r.nextDouble() * cpus, (long) (r.nextDouble() * mem * (1L << 30))));
        }
        return new World(hosts, vms, usage);
    }

    static void assertHardRules(World w) {
        Map<String, Host> byName = new HashMap<>();
        w.hosts().forEach(h -> byName.put(h.name(), h));
        Map<String, double[]> reserved = new HashMap<>();
        Map<String, Set<String>> groups = new HashMap<>();
        for (Vm v : w.vms()) {
            Host h = byName.get(v.host());
            double[] res = reserved.computeIfAbsent(h.name(), k -> new double[2]);
            res[0] += v.spec().vcpus();
            res[1] += v.spec().memoryBytes();
            assertThat(res[0]).isLessThanOrEqualTo(h.capacity().cpus() * PLACEMENT.cpuOvercommit());
            assertThat(res[1]).isLessThanOrEqualTo(h.capacity().memoryBytes() * PLACEMENT.memoryOvercommit());
            String g = v.labels().get("anti-affinity");
            if (g != null) assertThat(groups.computeIfAbsent(h.name(), k -> new HashSet<>()).add(g)).as("anti-affinity " + g).isTrue();
            String zone = v.labels().get("host.require.zone");
            if (zone != null) assertThat(h.labels().get("zone")).isEqualTo(zone);
        }
    }

    /** Mean of the population std devs of CPU and memory use fractions over connected hosts, from scratch. */
    static double imbalance(World w) {
        List<double[]> f = new ArrayList<>();
        for (Host h : w.hosts()) {
            if (h.state() != HostState.CONNECTED) continue;
            double c = 0, m = 0;
            for (Vm v : w.vms()) {
                if (!h.name().equals(v.host())) continue;
                c += w.usage().get(v.id()).cpuCores();
                m += w.usage().get(v.id()).memoryBytes();
            }
            f.add(new double[]{c / h.capacity().cpus(), m / h.capacity().memoryBytes()});
        }
        return (std(f, 0) + std(f, 1)) / 2;
    }

    private static double std(List<double[]> f, int k) {
        double mean = f.stream().mapToDouble(a -> a[k]).average().orElse(0);
        return Math.sqrt(f.stream().mapToDouble(a -> (a[k] - mean) * (a[k] - mean)).average().orElse(0));
    }

    @Test
    void balanceKeepsHardRulesAndNeverRaisesImbalance() {
        Property.forAll(WORLDS).tries(300).check(w -> {
            Plan p = new Balancer(BalanceSettings.DEFAULTS.withLimits(1800, 20, 0), PLACEMENT).plan(BalanceInput.of(w.snapshot(), 5000));
            World after = w.apply(p);
            assertHardRules(after);
            assertThat(imbalance(after)).isLessThanOrEqualTo(imbalance(w) + 1e-12);
            if (!p.moves().isEmpty()) assertThat(imbalance(after)).isLessThan(imbalance(w));
        });
    }

    @Test
    void consolidateKeepsHardRulesAndTargets() {
        Property.forAll(WORLDS).tries(300).check(w -> {
            BalanceSettings s = BalanceSettings.DEFAULTS.withMode(BalanceMode.CONSOLIDATE).withLimits(1800, 50, 0);
            Plan p = new Balancer(s, PLACEMENT).plan(BalanceInput.of(w.snapshot(), 5000));
            World after = w.apply(p);
            assertHardRules(after);
            for (String down : p.powerDown()) assertThat(after.vms()).noneMatch(v -> down.equals(v.host()));
            assertThat(p.moves().stream().map(Move::vm).distinct().count()).isEqualTo(p.moves().size());
        });
    }

    /** A world and whether the balancer consolidates (else it balances). */
    record Run(World world, boolean consolidate) {}

    @Test
    void noPingPongAcrossConsecutiveRuns() {
        Property.forAll(Gen.zip(WORLDS, Gen.booleans(), Run::new)).tries(300).check(run -> {
            World w = run.world();
            boolean consolidate = run.consolidate();
            BalanceSettings s = BalanceSettings.DEFAULTS.withMode(consolidate ? BalanceMode.CONSOLIDATE : BalanceMode.BALANCE).withLimits(1800, 20, 0);
            Balancer b = new Balancer(s, PLACEMENT);
            Plan first = b.plan(BalanceInput.of(w.snapshot(), 5000));
            Map<UUID, Long> moved = new HashMap<>();
            Map<UUID, String> left = new HashMap<>();
            first.moves().forEach(m -> {
                moved.put(m.vm(), 5000L);
                left.put(m.vm(), m.from());
            });
            World after = w.apply(first);
            Plan second = b.plan(new BalanceInput(after.snapshot(), 5300, moved, Map.of(), Map.of(), Map.of()));
            for (Move m : second.moves()) {
                assertThat(moved).as("a VM moved again within its cooldown").doesNotContainKey(m.vm());
                assertThat(m.to()).isNotEqualTo(left.get(m.vm()));
            }
            if (!consolidate && first.imbalanceAfter() <= s.tolerance()) assertThat(second.moves()).isEmpty();
            // without the cooldown's memory (a restarted server forgets it), no move undoes one just made: the plan's
            // own hysteresis, not only the cooldown filter, must prevent ping-pong
            Plan amnesic = b.plan(BalanceInput.of(after.snapshot(), 5300));
            for (Move m : amnesic.moves()) {
                assertThat(m.to()).as("VM %s sent back to %s, the host the previous plan moved it from", m.vm(), m.to())
                        .isNotEqualTo(left.get(m.vm()));
            }
        });
    }
}
