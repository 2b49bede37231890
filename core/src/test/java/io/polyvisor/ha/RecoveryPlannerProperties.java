package io.polyvisor.ha;

import io.polyvisor.ha.RecoveryAction.FenceVm;
import io.polyvisor.ha.RecoveryAction.Promote;
import io.polyvisor.ha.RecoveryAction.Restart;
import io.polyvisor.model.Host;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.placement.FirstFit;
import io.polyvisor.testing.Gen;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants of every recovery plan over random clusters, host health and crashes. */
class RecoveryPlannerProperties {
    final RecoveryPlanner planner = new RecoveryPlanner(new FirstFit(), 30_000);

    /** A valid cluster, each host's health (at least one healthy), and the VMs whose guest crashed (1 in 10). */
    record Scenario(RandomCluster cluster, Map<String, HostHealth> health, Set<UUID> crashed) {
        static Scenario random(Random rnd) {
            var cluster = RandomCluster.generate(rnd, 6, 25);
            var health = cluster.randomHealth(rnd);
            Set<UUID> crashed = new HashSet<>();
            cluster.snapshot().vms().forEach(v -> { if (rnd.nextInt(10) == 0) crashed.add(v.id()); });
            return new Scenario(cluster, health, crashed);
        }
    }

    @Test
    void plansNeverRestartAnInstanceThatMightStillRunAndNeverOvercommit() {
        Property.forAll(Gen.of(Scenario::random)).tries(500).check(this::checkPlan);
    }

    private void checkPlan(Scenario scenario) {
        var cluster = scenario.cluster();
        var health = scenario.health();
        var plan = planner.plan(cluster.snapshot(), health, scenario.crashed(), 0);

        Map<UUID, Vm> vms = new LinkedHashMap<>();
        cluster.snapshot().vms().forEach(v -> vms.put(v.id(), v));
        Set<UUID> fencedVms = new HashSet<>();
        int lastPriority = 6;
        boolean standbyPhase = false;
        for (var action : plan.actions()) {
            switch (action) {
                case FenceVm f -> fencedVms.add(f.vm().id());
                case Promote p -> {
                    var pair = StandbyRollover.swap(vms.get(p.primary().id()), vms.get(p.standby().id()));
                    assertThat(health.getOrDefault(p.standby().host(), new HostHealth.Healthy(0))).isInstanceOf(HostHealth.Healthy.class);
                    vms.put(pair.primary().id(), pair.primary());
                    vms.put(pair.standby().id(), pair.standby());
                }
                case Restart r -> {
                    Vm before = vms.get(r.vm().id());
                    assertThat(health.get(before.host()) instanceof HostHealth.Dead || fencedVms.contains(before.id()))
                            .as("%s restarted from %s (%s) without being fenced", before.name(), before.host(), health.get(before.host()))
                            .isTrue();
                    assertThat(health.get(r.to())).as("target health").isInstanceOf(HostHealth.Healthy.class);
                    boolean standby = HaLabels.isStandby(r.vm());
                    if (standby) standbyPhase = true;
                    else {
                        assertThat(standbyPhase).as("primary restarted after a standby rebuild").isFalse();
                        assertThat(r.vm().priority().level()).isLessThanOrEqualTo(lastPriority);
                        lastPriority = r.vm().priority().level();
                    }
                    vms.put(before.id(), before.withHost(r.to()));
                }
                default -> { }
            }
        }
        // capacity: no host holds more than FirstFit allows (the initial cluster was valid)
        Map<String, long[]> used = new HashMap<>();
        vms.values().forEach(v -> used.computeIfAbsent(v.host(), k -> new long[2])[0] += v.spec().memoryBytes());
        vms.values().forEach(v -> used.get(v.host())[1] += v.spec().vcpus());
        for (Host h : cluster.snapshot().hosts()) {
            long[] u = used.getOrDefault(h.name(), new long[2]);
            assertThat(u[0]).as("memory on %s", h.name()).isLessThanOrEqualTo(h.capacity().memoryBytes());
            assertThat(u[1]).as("vcpus on %s", h.name()).isLessThanOrEqualTo(h.capacity().cpus() * 4L);
        }
        // anti-affinity: after the plan, no standby shares a host with its primary, unless they already did
        for (Vm v : vms.values()) {
            HaLabels.standbyOf(v).map(vms::get).ifPresent(p -> assertThat(p.host()).as("pair %s", p.name()).isNotEqualTo(v.host()));
        }
        // every protected VM of a dead host is either restarted or reported unplaced
        for (Vm v : cluster.snapshot().vms()) {
            boolean prot = v.protection() != Protection.NONE || HaLabels.isStandby(v);
            if (prot && health.get(v.host()) instanceof HostHealth.Dead) {
                boolean handled = plan.actions().stream().anyMatch(a -> a instanceof Restart r && r.vm().id().equals(v.id())
                        || a instanceof RecoveryAction.Unplaced u && u.vm().id().equals(v.id()));
                assertThat(handled).as("%s on dead %s neither restarted nor reported", v.name(), v.host()).isTrue();
            }
        }
    }
}
