package io.polyvisor.balance;

import io.polyvisor.model.HostState;
import io.polyvisor.model.Vm;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.PlacementSettings;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.polyvisor.placement.Fixtures.host;
import static io.polyvisor.placement.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

class BalancerTest {
    private static final BalanceSettings CONSOLIDATE = BalanceSettings.DEFAULTS.withMode(BalanceMode.CONSOLIDATE).withLimits(600, 8, 0);

    private static ClusterSnapshot snapshot(List<io.polyvisor.model.Host> hosts, List<Vm> vms, double... cores) {
        Map<UUID, ClusterSnapshot.VmUsage> u = new HashMap<>();
        for (int i = 0; i < vms.size(); i++) u.put(vms.get(i).id(), new ClusterSnapshot.VmUsage(cores[i], 1L << 30));
        return new ClusterSnapshot(hosts, vms, u);
    }

    @Test
    void balanceMovesLoadFromTheHotHostAndSaysWhy() {
        var vms = List.of(vm("a", 2, 1, "h1", Map.of()), vm("b", 2, 1, "h1", Map.of()), vm("c", 2, 1, "h1", Map.of()));
        var snap = snapshot(List.of(host("h1", 4, 16), host("h2", 4, 16)), vms, 1.5, 1.5, 0.5);
        Plan p = new Balancer(BalanceSettings.DEFAULTS, PlacementSettings.DEFAULTS).plan(BalanceInput.of(snap, 1000));
        assertThat(p.moves()).isNotEmpty();
        assertThat(p.moves()).allMatch(m -> m.from().equals("h1") && m.to().equals("h2") && m.kind() == Move.Kind.IMBALANCE);
        assertThat(p.moves().get(0).reason()).startsWith("host h1 at 88% CPU / 19% memory is above the mean; moving");
        assertThat(p.imbalanceAfter()).isLessThan(p.imbalanceBefore());
    }

    @Test
    void balancedClusterGetsAnEmptyPlan() {
        var vms = List.of(vm("a", 2, 1, "h1", Map.of()), vm("b", 2, 1, "h2", Map.of()));
        var snap = snapshot(List.of(host("h1", 4, 16), host("h2", 4, 16)), vms, 1, 1);
        assertThat(new Balancer(BalanceSettings.DEFAULTS, PlacementSettings.DEFAULTS).plan(BalanceInput.of(snap, 0)).isEmpty()).isTrue();
    }

    @Test
    void consolidateEmptiesTheLightHostAndPowersItDown() {
        var vms = List.of(vm("a", 1, 1, "h1", Map.of()), vm("b", 1, 1, "h2", Map.of()), vm("c", 1, 1, "h2", Map.of()));
        var snap = snapshot(List.of(host("h1", 8, 16), host("h2", 8, 16)), vms, 0.5, 2, 2);
        Plan p = new Balancer(CONSOLIDATE, PlacementSettings.DEFAULTS).plan(BalanceInput.of(snap, 10_000));
        assertThat(p.moves()).singleElement().satisfies(m -> {
            assertThat(m.vmName()).isEqualTo("a");
            assertThat(m.to()).isEqualTo("h2");
            assertThat(m.kind()).isEqualTo(Move.Kind.CONSOLIDATE);
            assertThat(m.costSeconds()).isCloseTo((1L << 30) / 62.5e6, org.assertj.core.data.Offset.offset(1e-6));
        });
        assertThat(p.powerDown()).containsExactly("h1");
    }

    @Test
    void overloadIsRelievedToAHostWithRoomAndCooldownBlocksRecentlyMovedVms() {
        var vms = List.of(vm("a", 4, 1, "h1", Map.of()), vm("b", 4, 1, "h1", Map.of()), vm("c", 1, 1, "h2", Map.of()));
        var snap = snapshot(List.of(host("h1", 4, 16), host("h2", 4, 16)), vms, 2, 1.9, 0.2);
        var balancer = new Balancer(CONSOLIDATE, PlacementSettings.DEFAULTS);
        Plan p = balancer.plan(BalanceInput.of(snap, 10_000));
        assertThat(p.moves()).anySatisfy(m -> {
            assertThat(m.kind()).isEqualTo(Move.Kind.OVERLOAD);
            assertThat(m.from()).isEqualTo("h1");
            assertThat(m.reason()).contains("above the 85% watermark");
        });
        Map<UUID, Long> moved = Map.of(vms.get(0).id(), 9_900L, vms.get(1).id(), 9_900L);
        Plan cooled = balancer.plan(new BalanceInput(snap, 10_000, moved, Map.of(), Map.of(), Map.of()));
        assertThat(cooled.moves()).noneMatch(m -> m.from().equals("h1"));
    }

    @Test
    void capLimitsPlannedPlusInFlightMigrations() {
        var hosts = List.of(host("h1", 64, 64), host("h2", 64, 64), host("h3", 64, 64));
        var vms = new java.util.ArrayList<Vm>();
        double[] cores = new double[12];
        for (int i = 0; i < 12; i++) {
            vms.add(vm("v" + i, 1, 1, i < 10 ? "h1" : "h2", Map.of()));
            cores[i] = 5;
        }
        var snap = snapshot(hosts, vms, cores);
        var settings = BalanceSettings.DEFAULTS.withLimits(0, 3, 0);
        assertThat(new Balancer(settings, PlacementSettings.DEFAULTS).plan(BalanceInput.of(snap, 0)).moves()).hasSize(3);
    }

    @Test
    void maintenanceEvacuatesEveryRunningVmRespectingRules() {
        var vms = List.of(vm("a", 1, 1, "h1", Map.of("anti-affinity", "g")), vm("b", 1, 1, "h1", Map.of()),
                vm("c", 1, 1, "h2", Map.of("anti-affinity", "g")));
        var hosts = List.of(host("h1", 8, 16, HostState.MAINTENANCE, Map.of()), host("h2", 8, 16), host("h3", 8, 16));
        var snap = snapshot(hosts, vms, 0.5, 0.5, 0.5);
        Plan p = new Balancer(BalanceSettings.DEFAULTS, PlacementSettings.DEFAULTS).evacuate(BalanceInput.of(snap, 0), "h1");
        assertThat(p.moves()).hasSize(2).allMatch(m -> m.kind() == Move.Kind.EVACUATE && !m.to().equals("h1"));
        assertThat(p.moves()).filteredOn(m -> m.vmName().equals("a")).singleElement().extracting(Move::to).isEqualTo("h3");
    }

    @Test
    void partialAutomationExecutesOnlyMovesWithAHardReason() {
        var overload = new Move(UUID.randomUUID(), "a", "h1", "h2", Move.Kind.OVERLOAD, "r", 1);
        var tidy = new Move(UUID.randomUUID(), "b", "h1", "h2", Move.Kind.CONSOLIDATE, "r", 1);
        assertThat(Automation.PARTIAL.executes(overload)).isTrue();
        assertThat(Automation.PARTIAL.executes(tidy)).isFalse();
        assertThat(Automation.MANUAL.executes(overload)).isFalse();
        assertThat(Automation.FULL.executes(tidy)).isTrue();
    }

    @Test
    void aVmThatDirtiesMemoryFasterThanTheLinkCopiesIsNeverChosen() {
        var vms = List.of(vm("a", 1, 1, "h1", Map.of()), vm("b", 1, 1, "h2", Map.of()));
        var snap = snapshot(List.of(host("h1", 8, 16), host("h2", 8, 16)), vms, 0.5, 2);
        var input = new BalanceInput(snap, 10_000, Map.of(), Map.of(), Map.of(), Map.of(vms.get(0).id(), 100_000_000L));
        assertThat(new Balancer(CONSOLIDATE, PlacementSettings.DEFAULTS).plan(input).moves()).noneMatch(m -> m.vmName().equals("a"));
    }
}
