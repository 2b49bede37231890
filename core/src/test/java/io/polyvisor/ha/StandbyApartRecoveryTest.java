package io.polyvisor.ha;

import io.polyvisor.ha.RecoveryAction.Restart;
import io.polyvisor.ha.RecoveryAction.Unplaced;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.placement.Scheduler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.polyvisor.ha.Fixtures.dead;
import static io.polyvisor.ha.Fixtures.host;
import static io.polyvisor.ha.Fixtures.standbyOf;
import static io.polyvisor.ha.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

/** HA restarts and standby rebuilds, planned with the real scheduler, never put a VM where its standby is (or is going). */
class StandbyApartRecoveryTest {
    static final Vm WEB = vm("web2", 1, "h1", Protection.STANDBY, 3);
    final RecoveryPlanner planner = new RecoveryPlanner(new Scheduler(PlacementSettings.DEFAULTS), 30_000);

    /** case, VMs, dead host, the VM restarted, where it may go (empty: it must be reported unplaced). */
    static Stream<Arguments> cases() {
        Vm migrating = standbyOf(WEB, "h2").withState(new VmState.Migrating("h3"));
        return Stream.of(
                Arguments.of("the primary's host dies while its standby migrates to h3: neither h2 nor h3", List.of(WEB, migrating), "h1",
                        "web2", Set.of()),
                Arguments.of("the primary's host dies, standby not running: any host but the standby's", List.of(WEB,
                        standbyOf(WEB, "h2").withState(new VmState.Failed("crashed"))), "h1", "web2", Set.of("h3")),
                Arguments.of("the standby's host dies: rebuilt away from the primary", List.of(WEB, standbyOf(WEB, "h2")), "h2",
                        "web2-standby", Set.of("h3")),
                Arguments.of("the standby's host dies: the one host that is not the primary's", List.of(WEB.withHost("h3"), standbyOf(WEB, "h2")),
                        "h2", "web2-standby", Set.of("h1")),
                Arguments.of("the standby's host dies and only the primary's host is left (h3 in maintenance)", List.of(WEB, standbyOf(WEB, "h2")),
                        "h2", "web2-standby", Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void restartsKeepPairsApart(String name, List<Vm> vms, String deadHost, String vm, Set<String> allowed) {
        var h3 = name.contains("h3 in maintenance") ? host("h3", 8).withState(io.polyvisor.model.HostState.MAINTENANCE) : host("h3", 8);
        var hosts = List.of(host("h1", 8), host("h2", 8), h3);
        var plan = planner.plan(ClusterSnapshot.of(hosts, vms), Map.of(deadHost, dead()), Set.of(), 100_000);
        var restarts = plan.only(Restart.class).stream().filter(r -> r.vm().name().equals(vm)).toList();
        if (allowed.isEmpty()) {
            assertThat(restarts).as(plan.toString()).isEmpty();
            assertThat(plan.only(Unplaced.class)).as(plan.toString()).anySatisfy(u -> {
                assertThat(u.vm().name()).isEqualTo(vm);
                assertThat(u.reason()).contains("standby-apart excluded");
            });
        } else {
            assertThat(restarts).as(plan.toString()).singleElement().satisfies(r -> assertThat(allowed).contains(r.to()));
        }
    }
}
