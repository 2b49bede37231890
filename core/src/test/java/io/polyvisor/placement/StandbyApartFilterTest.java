package io.polyvisor.placement;

import io.polyvisor.model.HostState;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static io.polyvisor.placement.Fixtures.host;
import static org.assertj.core.api.Assertions.assertThat;

/** A VM and its hot standby never share a host, whichever path asks placement (create, restart, standby build, migrate). */
class StandbyApartFilterTest {
    static final UUID WEB = UUID.nameUUIDFromBytes("web2".getBytes());
    static final String APART = "; a VM and its standby never share a host";
    final Scheduler scheduler = new Scheduler(PlacementSettings.DEFAULTS);

    static Vm primary(String host, VmState state) {
        return new Vm(WEB, "web2", VmSpec.of(1, Sizes.GiB), Map.of(), Protection.STANDBY, null, PowerIntent.RUNNING, state, host);
    }

    static Vm standby(String host, VmState state) {
        return new Vm(UUID.nameUUIDFromBytes("web2-standby".getBytes()), "web2-standby", VmSpec.of(1, Sizes.GiB),
                Map.of(PlacementRules.STANDBY_OF, WEB.toString()), Protection.NONE, null, PowerIntent.RUNNING, state, host);
    }

    static ClusterSnapshot cluster(Vm... vms) {
        return ClusterSnapshot.of(List.of(host("h1", 8, 16), host("h2", 8, 16), host("h3", 8, 16)), List.of(vms));
    }

    /** case, cluster, request, where it may go (null: rejected), the rejection's reason (null when placed). */
    static Stream<Arguments> cases() {
        Vm p1 = primary("h1", VmState.RUNNING), s2 = standby("h2", VmState.RUNNING);
        return Stream.of(
                Arguments.of("migrate the primary onto its standby's host", cluster(p1, s2), new PlacementRequest(p1, "h2", Set.of()),
                        null, "host h2 cannot run web2: host h2 runs web2-standby, the standby of web2" + APART),
                Arguments.of("migrate the standby onto its primary's host", cluster(p1, s2), new PlacementRequest(s2, "h1", Set.of()),
                        null, "host h1 cannot run web2-standby: host h1 runs web2, whose standby is web2-standby" + APART),
                Arguments.of("migrate the primary to a third host", cluster(p1, s2), new PlacementRequest(p1, "h3", Set.of()), Set.of("h3"), null),
                Arguments.of("build a standby: anywhere but the primary's host", cluster(p1), PlacementRequest.of(standby(null, VmState.PENDING)),
                        Set.of("h2", "h3"), null),
                Arguments.of("restart the primary (h3 lost): not beside its standby", cluster(primary("h3", new VmState.Failed("host h3 failed")), s2),
                        new PlacementRequest(primary("h3", new VmState.Failed("host h3 failed")), null, Set.of("h3")), Set.of("h1"), null),
                Arguments.of("a standby being deleted no longer counts", cluster(p1, standby("h2", VmState.DELETED)),
                        new PlacementRequest(p1, "h2", Set.of()), Set.of("h2"), null),
                Arguments.of("a standby migrating to h3 holds h3 too", cluster(p1, standby("h2", new VmState.Migrating("h3"))),
                        new PlacementRequest(p1, "h3", Set.of()), null, "host h3 cannot run web2: host h3 runs web2-standby, the standby of web2" + APART),
                Arguments.of("only the partner's host is left", ClusterSnapshot.of(List.of(host("h1", 8, 16, HostState.MAINTENANCE, Map.of()),
                                host("h2", 8, 16)), List.of(p1, s2)), PlacementRequest.of(p1), null,
                        "no host can run web2: host-state excluded 1 host, standby-apart excluded 1 host"),
                Arguments.of("a VM that is not part of a pair is not affected", cluster(p1, s2),
                        new PlacementRequest(Fixtures.vm("other", 1, 1), "h2", Set.of()), Set.of("h2"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pairsStayApart(String name, ClusterSnapshot snapshot, PlacementRequest request, Set<String> allowed, String reason) {
        Placement p = scheduler.place(snapshot, request);
        if (allowed == null) {
            assertThat(p).isInstanceOfSatisfying(Placement.Rejected.class, r -> {
                assertThat(r.reason()).isEqualTo(reason);
                assertThat(r.excludedBy()).containsKey(StandbyApartFilter.NAME);
                assertThat(r.resolvable()).isEqualTo(r.excludedBy().containsKey("host-state")); // maintenance ends; the rule does not
            });
        } else {
            assertThat(p).isInstanceOfSatisfying(Placement.Placed.class, placed -> assertThat(allowed).contains(placed.host()));
        }
    }

    @Test
    void explainNamesTheRuleAndThePartner() {
        var e = scheduler.explain(cluster(primary("h1", VmState.RUNNING), standby("h2", VmState.RUNNING)),
                PlacementRequest.of(primary(null, VmState.PENDING)));
        assertThat(e.hosts()).filteredOn(v -> "h2".equals(v.host())).singleElement().satisfies(v -> {
            assertThat(v.excludedBy()).isEqualTo("standby-apart");
            assertThat(v.reason()).isEqualTo("host h2 runs web2-standby, the standby of web2" + APART);
        });
    }

    @Test
    void aSessionFollowsThePairThroughPlannedMoves() {
        var session = scheduler.session(cluster(primary("h1", VmState.RUNNING), standby("h2", VmState.RUNNING)));
        assertThat(session.veto(primary("h1", VmState.RUNNING), "h2")).startsWith("standby-apart: host h2 runs web2-standby");
        session.relocate(standby("h2", VmState.RUNNING), "h2", "h3"); // the plan moves the standby away first
        assertThat(session.veto(primary("h1", VmState.RUNNING), "h2")).isNull();
        assertThat(session.veto(primary("h1", VmState.RUNNING), "h3")).startsWith("standby-apart: host h3 runs web2-standby");
    }

    @Test
    void aNewStandbyPlacedInASessionKeepsItsPrimaryAway() {
        var session = scheduler.session(cluster(primary("h1", VmState.RUNNING)));
        var placed = (Placement.Placed) session.place(PlacementRequest.of(standby(null, VmState.PENDING)));
        assertThat(placed.host()).isNotEqualTo("h1");
        assertThat(session.veto(primary("h1", VmState.RUNNING), placed.host())).contains("runs web2-standby");
        var many = new ArrayList<String>();
        for (String h : List.of("h1", "h2", "h3")) if (session.veto(primary("h1", VmState.RUNNING), h) == null) many.add(h);
        assertThat(many).doesNotContain(placed.host());
    }
}
