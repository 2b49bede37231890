package io.polyvisor.ha;

import io.polyvisor.model.Host;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.FirstFit;
import io.polyvisor.placement.Placement;
import io.polyvisor.placement.PlacementRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.polyvisor.ha.Fixtures.host;
import static io.polyvisor.ha.Fixtures.restart;
import static io.polyvisor.ha.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

/** Admission control as a placer: a pure function of the snapshot, the request, the settings and the restarts in flight. */
class AdmittingPlacerTest {
    final List<Host> threeHosts = List.of(host("h1", 8), host("h2", 8), host("h3", 8));
    final HaSettings tolerateOne = new HaSettings(1, 30);

    /** The same VM as the API's create path sees it: not yet created. */
    static Vm pending(Vm vm) {
        return new Vm(vm.id(), vm.name(), vm.spec(), vm.labels(), vm.protection(), vm.priority(), vm.intent(), VmState.PENDING, vm.host());
    }

    @Test
    void aNewVmThatBreaksThePromiseIsRejectedWithTheReasonAndANewOneThatKeepsItIsPlaced() {
        // a (6) on h1, b (6) on h2: c (6) fits on h3 but then no single failure is survivable
        var s = ClusterSnapshot.of(threeHosts, List.of(restart("a", 6, "h1"), restart("b", 6, "h2")));
        var placer = new AdmittingPlacer(new FirstFit(), tolerateOne, Map.of());
        var refused = placer.place(s, PlacementRequest.of(pending(restart("c", 6, null))));
        assertThat(refused).isEqualTo(new Placement.Rejected("admission control: tolerating 1 host failure is not possible:"
                + " if h1 failed, 1 protected VM would find no host (a)", Map.of("admission", 1), true));
        assertThat(placer.place(s, PlacementRequest.of(pending(restart("small", 1, null)))))
                .isInstanceOf(Placement.Placed.class);
    }

    @Test
    void onlyNewVmsAreChecked() {
        var s = ClusterSnapshot.of(threeHosts, List.of(restart("a", 6, "h1"), restart("b", 6, "h2")));
        var placer = new AdmittingPlacer(new FirstFit(), tolerateOne, Map.of());
        var running = restart("c", 6, "h3"); // a migration's destination check: not a new VM
        assertThat(placer.place(s, new PlacementRequest(running, "h3", java.util.Set.of())))
                .isInstanceOfSatisfying(Placement.Placed.class, p -> assertThat(p.host()).isEqualTo("h3"));
    }

    @Test
    void aRestartInFlightCountsOnItsTargetHost() {
        // a (6) restarting from failed h1 to h2: h2 is nearly full, so a second 6 GiB VM on h3 breaks the promise
        var hosts = List.of(host("h1", 8).withState(io.polyvisor.model.HostState.FAILED), host("h2", 8), host("h3", 8), host("h4", 8));
        var s = ClusterSnapshot.of(hosts, List.of(restart("a", 6, "h1"), restart("b", 6, "h4")));
        var vm = pending(restart("c", 6, null));
        assertThat(new AdmittingPlacer(new FirstFit(), tolerateOne, Map.of()).place(s, PlacementRequest.of(vm)))
                .isInstanceOf(Placement.Placed.class);
        var restartingA = Map.of(restart("a", 6, "h1").id(), "h2");
        assertThat(new AdmittingPlacer(new FirstFit(), tolerateOne, restartingA).place(s, PlacementRequest.of(vm)))
                .isInstanceOf(Placement.Rejected.class);
    }

    @Test
    void aStandbyProtectedVmReservesRoomForItsStandbyAwayFromIt() {
        var oneHost = List.of(host("h1", 8));
        var web = pending(vm("web", 2, null, Protection.STANDBY, 3));
        var placement = new AdmittingPlacer(new FirstFit(), new HaSettings(0, 30), Map.of()).place(ClusterSnapshot.of(oneHost, List.of()),
                PlacementRequest.of(web));
        assertThat(placement).isInstanceOfSatisfying(Placement.Rejected.class,
                r -> assertThat(r.reason()).startsWith("no host for the standby of web away from h1: "));
    }
}
