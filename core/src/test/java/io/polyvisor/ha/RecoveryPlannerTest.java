package io.polyvisor.ha;

import io.polyvisor.ha.RecoveryAction.FenceHost;
import io.polyvisor.ha.RecoveryAction.FenceVm;
import io.polyvisor.ha.RecoveryAction.Promote;
import io.polyvisor.ha.RecoveryAction.Restart;
import io.polyvisor.ha.RecoveryAction.Stranded;
import io.polyvisor.ha.RecoveryAction.Unplaced;
import io.polyvisor.ha.RecoveryAction.Unprotected;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.FirstFit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.polyvisor.ha.Fixtures.dead;
import static io.polyvisor.ha.Fixtures.host;
import static io.polyvisor.ha.Fixtures.restart;
import static io.polyvisor.ha.Fixtures.standbyOf;
import static io.polyvisor.ha.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

class RecoveryPlannerTest {
    final RecoveryPlanner planner = new RecoveryPlanner(new FirstFit(), 30_000);

    RecoveryPlan plan(List<Vm> vms, Map<String, HostHealth> health) {
        return planner.plan(ClusterSnapshot.of(List.of(host("h1", 8), host("h2", 8), host("h3", 8)), vms), health, Set.of(), 100_000);
    }

    @Test
    void anUnreachableHostIsFencedAndNothingOfItIsRestartedYet() {
        var plan = plan(List.of(restart("a", 1, "h1"), restart("b", 1, "h1")), Map.of("h1", new HostHealth.Unreachable(5)));
        assertThat(plan.actions()).containsExactly(new FenceHost("h1", List.of("a", "b"), false));
    }

    @Test
    void anUnreachableHostWithNothingToRestartIsNotFenced() {
        var plan = plan(List.of(restart("a", 1, "h2")), Map.of("h1", new HostHealth.Unreachable(5)));
        assertThat(plan.actions()).isEmpty();
    }

    @Test
    void protectedVmsOfAFencedHostRestartElsewhereByPriorityThenStartOrderThenName() {
        var low = vm("low", 1, "h1", Protection.RESTART, 1);
        var high = vm("high", 1, "h1", Protection.RESTART, 5);
        var midLate = Fixtures.withLabel(vm("mid-a", 1, "h1", Protection.RESTART, 3), HaLabels.START_ORDER, "20");
        var midEarly = Fixtures.withLabel(vm("mid-b", 1, "h1", Protection.RESTART, 3), HaLabels.START_ORDER, "10");
        var plan = plan(List.of(low, midLate, high, midEarly), Map.of("h1", dead()));
        assertThat(plan.only(Restart.class)).extracting(r -> r.vm().name()).containsExactly("high", "mid-b", "mid-a", "low");
        assertThat(plan.only(Restart.class)).allSatisfy(r -> assertThat(r.to()).isNotEqualTo("h1"));
        assertThat(plan.only(FenceHost.class)).isEmpty();
    }

    @Test
    void unprotectedVmsOfAFencedHostAreReportedNotRestarted() {
        var plan = plan(List.of(vm("plain", 1, "h1", Protection.NONE, 3)), Map.of("h1", dead()));
        assertThat(plan.actions()).singleElement().isInstanceOf(Unprotected.class);
    }

    @Test
    void vmsOfAHostWhoseFencingFailedAreStrandedNeverRestarted() {
        var plan = plan(List.of(restart("a", 1, "h1")), Map.of("h1", new HostHealth.FenceFailed(90_000, "fence_ipmilan exited 1")));
        assertThat(plan.only(Restart.class)).isEmpty();
        assertThat(plan.only(Stranded.class)).singleElement().satisfies(s -> assertThat(s.reason()).contains("fence_ipmilan exited 1"));
        assertThat(plan.only(FenceHost.class)).isEmpty();
    }

    @Test
    void fencingIsRetriedAfterTheBackoff() {
        var plan = plan(List.of(restart("a", 1, "h1")), Map.of("h1", new HostHealth.FenceFailed(60_000, "x")));
        assertThat(plan.only(FenceHost.class)).containsExactly(new FenceHost("h1", List.of("a"), true));
        assertThat(plan.only(Restart.class)).isEmpty();
    }

    @Test
    void restartsRespectCapacityAcrossThePlanAndReportWhatDoesNotFit() {
        // h2 and h3 each have 8 GiB; four 5 GiB VMs from h1: two fit, two do not
        var vms = List.of(restart("a", 5, "h1"), restart("b", 5, "h1"), restart("c", 5, "h1"), restart("d", 5, "h1"));
        var plan = plan(vms, Map.of("h1", dead()));
        assertThat(plan.only(Restart.class)).extracting(Restart::to).containsExactlyInAnyOrder("h2", "h3");
        assertThat(plan.only(Unplaced.class)).hasSize(2).allSatisfy(u -> assertThat(u.resolvable()).isTrue());
    }

    @Test
    void aStandbyIsPromotedAsSoonAsThePrimaryHostIsUnreachableAndTheOldPrimaryIsRebuiltAfterFencing() {
        var primary = vm("web", 1, "h1", Protection.STANDBY, 3);
        var standby = standbyOf(primary, "h2");
        var plan = plan(List.of(primary, standby), Map.of("h1", new HostHealth.Unreachable(5)));
        assertThat(plan.only(Promote.class)).singleElement().satisfies(p -> {
            assertThat(p.primary().id()).isEqualTo(primary.id());
            assertThat(p.standby().id()).isEqualTo(standby.id());
        });
        assertThat(plan.actions().get(0)).isInstanceOf(Promote.class);
        assertThat(plan.only(Restart.class)).isEmpty(); // the old primary still might run: fence first

        var swapped = StandbyRollover.swap(primary, standby);
        var after = plan(List.of(swapped.primary(), swapped.standby()), Map.of("h1", dead()));
        assertThat(after.only(Promote.class)).isEmpty();
        assertThat(after.only(Restart.class)).singleElement().satisfies(r -> {
            assertThat(r.vm().name()).isEqualTo("web-standby");
            assertThat(r.to()).isEqualTo("h3"); // not h1 (dead), not h2 (its primary's host)
        });
    }

    @Test
    void aLostStandbyIsRebuiltAwayFromItsPrimaryAndAfterEveryPrimaryRestart() {
        var primary = vm("web", 1, "h2", Protection.STANDBY, 5);
        var standby = standbyOf(primary, "h1");
        var other = vm("db", 1, "h1", Protection.RESTART, 1);
        var plan = plan(List.of(primary, standby, other), Map.of("h1", dead()));
        assertThat(plan.only(Promote.class)).isEmpty();
        assertThat(plan.only(Restart.class)).extracting(r -> r.vm().name()).containsExactly("db", "web-standby");
        assertThat(plan.only(Restart.class).get(1).to()).isEqualTo("h3");
    }

    @Test
    void aCrashedProtectedInstanceOnAnAnsweringHostIsFencedThroughTheDriverThenRestarted() {
        var a = restart("a", 1, "h1");
        var plan = planner.plan(ClusterSnapshot.of(List.of(host("h1", 8)), List.of(a)), Map.of(), Set.of(a.id()), 0);
        assertThat(plan.actions()).hasSize(2);
        assertThat(plan.actions().get(0)).isEqualTo(new FenceVm(a, "h1", "instance crashed or failed its health check"));
        assertThat(plan.actions().get(1)).isInstanceOfSatisfying(Restart.class, r -> assertThat(r.to()).isEqualTo("h1"));
    }

    @Test
    void aCrashedStandbyPrimaryRollsOverToItsStandby() {
        var primary = vm("web", 1, "h1", Protection.STANDBY, 3);
        var standby = standbyOf(primary, "h2");
        var plan = planner.plan(ClusterSnapshot.of(List.of(host("h1", 8), host("h2", 8)), List.of(primary, standby)),
                Map.of(), Set.of(primary.id()), 0);
        assertThat(plan.actions()).hasSize(3);
        assertThat(plan.actions().get(0)).isInstanceOf(Promote.class);
        assertThat(plan.actions().get(1)).isInstanceOf(FenceVm.class);
        assertThat(plan.actions().get(2)).isInstanceOfSatisfying(Restart.class, r -> {
            assertThat(r.vm().name()).isEqualTo("web-standby");
            assertThat(r.to()).isEqualTo("h1");
        });
    }

    @Test
    void aHealthyClusterNeedsNothing() {
        assertThat(plan(List.of(restart("a", 1, "h1"), vm("b", 1, "h2", Protection.NONE, 3)), Map.of()).isEmpty()).isTrue();
    }
}
