package io.polyvisor.placement;

import io.polyvisor.model.HostState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.polyvisor.placement.Fixtures.host;
import static io.polyvisor.placement.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

class SchedulerTest {
    private final Scheduler scheduler = new Scheduler(PlacementSettings.DEFAULTS);

    @Test
    void rejectionSaysWhichRuleExcludedHowManyHosts() {
        var snap = ClusterSnapshot.of(List.of(host("h1", 2, 4), host("h2", 2, 4), host("h3", 64, 256, HostState.MAINTENANCE, Map.of())),
                List.of());
        var r = (Placement.Rejected) scheduler.place(snap, PlacementRequest.of(vm("big", 16, 32)));
        assertThat(r.reason()).isEqualTo("no host can run big: host-state excluded 1 host, capacity excluded 2 hosts");
        assertThat(r.excludedBy()).containsExactlyInAnyOrderEntriesOf(Map.of("host-state", 1, "capacity", 2));
        assertThat(r.resolvable()).isTrue();
    }

    @Test
    void ruleExclusionsAreNotResolvableByWaiting() {
        var snap = ClusterSnapshot.of(List.of(host("h1", 8, 16)), List.of());
        var r = (Placement.Rejected) scheduler.place(snap, PlacementRequest.of(vm("db", 1, 1, null, Map.of("host.require.disk", "ssd"))));
        assertThat(r.reason()).isEqualTo("no host can run db: host-rules excluded 1 host");
        assertThat(r.resolvable()).isFalse();
    }

    @Test
    void capacityCountsReservationsWithOvercommit() {
        // 2 cores x 4.0 overcommit = 8 vCPUs; 6 are reserved, so a 3-vCPU VM does not fit but a 2-vCPU one does
        var snap = ClusterSnapshot.of(List.of(host("h1", 2, 64)), List.of(vm("a", 6, 1, "h1", Map.of())));
        assertThat(scheduler.place(snap, PlacementRequest.of(vm("b", 3, 1)))).isInstanceOf(Placement.Rejected.class);
        assertThat(scheduler.place(snap, PlacementRequest.of(vm("c", 2, 1)))).isInstanceOf(Placement.Placed.class);
    }

    @Test
    void binPackingPrefersTheFullestHostThatFits() {
        var snap = ClusterSnapshot.of(List.of(host("empty", 8, 32), host("half", 8, 32)), List.of(vm("a", 16, 16, "half", Map.of())));
        assertThat(((Placement.Placed) scheduler.place(snap, PlacementRequest.of(vm("b", 2, 2)))).host()).isEqualTo("half");
    }

    @Test
    void antiAffinityKeepsGroupMembersApart() {
        var snap = ClusterSnapshot.of(List.of(host("h1", 8, 32), host("h2", 8, 32)),
                List.of(vm("web-1", 1, 1, "h1", Map.of("anti-affinity", "web"))));
        var p = (Placement.Placed) scheduler.place(snap, PlacementRequest.of(vm("web-2", 1, 1, null, Map.of("anti-affinity", "web"))));
        assertThat(p.host()).isEqualTo("h2");
        var third = ClusterSnapshot.of(snap.hosts(), List.of(snap.vms().get(0), vm("web-2", 1, 1, "h2", Map.of("anti-affinity", "web"))));
        var r = (Placement.Rejected) scheduler.place(third, PlacementRequest.of(vm("web-3", 1, 1, null, Map.of("anti-affinity", "web"))));
        assertThat(r.excludedBy()).containsEntry("anti-affinity", 2);
    }

    @Test
    void affinityFollowsTheGroupAndSoftRulesOnlyReorder() {
        var snap = ClusterSnapshot.of(List.of(host("h1", 8, 32), host("h2", 8, 32)), List.of(vm("app-1", 1, 1, "h2", Map.of("affinity", "app"))));
        assertThat(((Placement.Placed) scheduler.place(snap, PlacementRequest.of(vm("app-2", 1, 1, null, Map.of("affinity", "app"))))).host())
                .isEqualTo("h2");
        var soft = ClusterSnapshot.of(List.of(host("h1", 8, 32, HostState.CONNECTED, Map.of("rack", "r1")),
                host("h2", 8, 32, HostState.CONNECTED, Map.of("rack", "r2"))), List.of());
        assertThat(((Placement.Placed) scheduler.place(soft, PlacementRequest.of(vm("x", 1, 1, null, Map.of("host.prefer.rack", "r2"))))).host())
                .isEqualTo("h2");
        assertThat(((Placement.Placed) scheduler.place(soft, PlacementRequest.of(vm("y", 1, 1, null, Map.of("host.avoid.rack", "r1"))))).host())
                .isEqualTo("h2");
    }

    @Test
    void pinningAndExclusion() {
        var snap = ClusterSnapshot.of(List.of(host("h1", 8, 32), host("h2", 8, 32)), List.of());
        assertThat(((Placement.Placed) scheduler.place(snap, new PlacementRequest(vm("a", 1, 1), "h2", Set.of()))).host()).isEqualTo("h2");
        assertThat(((Placement.Placed) scheduler.place(snap, new PlacementRequest(vm("a", 1, 1), null, Set.of("h1")))).host()).isEqualTo("h2");
        var r = (Placement.Rejected) scheduler.place(snap, new PlacementRequest(vm("a", 1, 1), "h9", Set.of()));
        assertThat(r.reason()).isEqualTo("host h9 does not exist");
    }

    @Test
    void aSessionSeesItsOwnPlacements() {
        var s = scheduler.session(ClusterSnapshot.of(List.of(host("h1", 2, 8)), List.of()));
        assertThat(s.place(PlacementRequest.of(vm("a", 4, 4)))).isInstanceOf(Placement.Placed.class);
        assertThat(s.place(PlacementRequest.of(vm("b", 4, 4)))).isInstanceOf(Placement.Placed.class);
        var r = (Placement.Rejected) s.place(PlacementRequest.of(vm("c", 1, 1)));
        assertThat(r.excludedBy()).containsEntry("capacity", 1);
    }

    @Test
    void explainListsScoresOfFeasibleHostsAndReasonsOfExcludedOnes() {
        var snap = ClusterSnapshot.of(List.of(host("h1", 8, 32), host("h2", 1, 1), host("h3", 8, 32, HostState.MAINTENANCE, Map.of())),
                List.of());
        Explanation e = scheduler.explain(snap, PlacementRequest.of(vm("a", 2, 2)));
        assertThat(e.hosts()).extracting(Explanation.HostVerdict::host).containsExactly("h1", "h2", "h3");
        assertThat(e.hosts().get(0).byScorer()).containsKeys("binpack", "affinity-soft", "host-preference");
        assertThat(e.hosts().get(1).reason()).isEqualTo("host h2 has 1 GiB of memory free, the VM needs 2 GiB");
        assertThat(e.hosts().get(2).reason()).isEqualTo("host h3 is maintenance");
        assertThat(((Placement.Placed) e.decision()).host()).isEqualTo("h1");
    }
}
