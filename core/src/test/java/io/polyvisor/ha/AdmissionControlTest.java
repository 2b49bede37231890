package io.polyvisor.ha;

import io.polyvisor.model.Host;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.FirstFit;
import io.polyvisor.testing.Gen;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

import static io.polyvisor.ha.Fixtures.host;
import static io.polyvisor.ha.Fixtures.restart;
import static io.polyvisor.ha.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

class AdmissionControlTest {
    final RecoveryPlanner planner = new RecoveryPlanner(new FirstFit(), 30_000);
    final AdmissionControl admission = new AdmissionControl(planner);
    final List<Host> threeHosts = List.of(host("h1", 8), host("h2", 8), host("h3", 8));

    @Test
    void zeroToleratedFailuresAdmitsEverything() {
        var s = ClusterSnapshot.of(threeHosts, List.of(restart("a", 8, "h1"), restart("b", 8, "h2"), restart("c", 8, "h3")));
        assertThat(admission.check(s, new HaSettings(0, 30))).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void admitsWhileTheProtectedVmsOfAnyOneHostFitOnTheOthersAndReportsTheReserve() {
        var s = ClusterSnapshot.of(threeHosts, List.of(restart("a", 4, "h1"), restart("b", 2, "h2")));
        var result = admission.admit(s, new HaSettings(1, 30), restart("c", 2, "h3"), "h3");
        assertThat(result).isInstanceOfSatisfying(Admission.Admitted.class, a -> {
            assertThat(a.reserved().memoryBytes()).isEqualTo(4 * Sizes.GiB);
            assertThat(a.reserved().worstCase()).containsExactly("h1");
        });
    }

    @Test
    void refusesAProtectedVmThatWouldLeaveAnotherWithoutRoomAndSaysWhich() {
        // each host 8 GiB: a (6) on h1, b (6) on h2; adding c (6) on h3 means any failure strands 6 GiB
        // with only 2 GiB free on each survivor
        var s = ClusterSnapshot.of(threeHosts, List.of(restart("a", 6, "h1"), restart("b", 6, "h2")));
        var result = admission.admit(s, new HaSettings(1, 30), restart("c", 6, "h3"), "h3");
        assertThat(result).isInstanceOfSatisfying(Admission.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo("admission control: tolerating 1 host failure is not possible: if h1 failed,"
                    + " 1 protected VM would find no host (a)");
            assertThat(r.failedHosts()).containsExactly("h1");
        });
    }

    @Test
    void anUnprotectedVmIsRefusedWhenItWouldTakeTheReservedRoom() {
        var s = ClusterSnapshot.of(threeHosts, List.of(restart("a", 6, "h1")));
        var result = admission.admit(s, new HaSettings(1, 30), vm("batch", 6, null, Protection.NONE, 3), "h2");
        assertThat(result).isInstanceOf(Admission.Admitted.class); // a still fits on h3
        var s2 = ClusterSnapshot.of(threeHosts, List.of(restart("a", 6, "h1"), vm("batch", 6, "h2", Protection.NONE, 3)));
        var refused = admission.admit(s2, new HaSettings(1, 30), vm("batch2", 6, null, Protection.NONE, 3), "h3");
        assertThat(refused).isInstanceOfSatisfying(Admission.Rejected.class,
                r -> assertThat(r.reason()).endsWith("; batch2 (6 GiB) would use capacity reserved for them"));
    }

    @Test
    void toleratingAsManyFailuresAsThereAreHostsIsRefused() {
        var s = ClusterSnapshot.of(List.of(host("h1", 8), host("h2", 8)), List.of());
        assertThat(admission.check(s, new HaSettings(2, 30))).isInstanceOfSatisfying(Admission.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo("admission control: tolerating 2 host failures needs more than 2 schedulable hosts, but there are 2"));
    }

    @Test
    void scenarioCountIsBoundedOnLargeClusters() {
        var hosts = new ArrayList<Host>();
        for (int i = 0; i < 200; i++) hosts.add(host("h" + i, 8));
        var s = ClusterSnapshot.of(hosts, List.of(restart("a", 6, "h7")));
        assertThat(AdmissionControl.scenarios(s, hosts, 2)).hasSizeLessThanOrEqualTo(2)
                .first().satisfies(first -> assertThat(first).extracting(Host::name).contains("h7"));
        assertThat(AdmissionControl.scenarios(s, hosts.subList(0, 10), 2)).hasSize(45);
    }

    /** A random valid cluster and how many host failures to tolerate (1 or 2). */
    record Tolerance(RandomCluster cluster, int failures) {}

    /** The guarantee users rely on: once admitted with N, any N hosts may fail and every protected VM gets a host. */
    @Test
    void admittedClustersSurviveEveryCombinationOfNFailures() {
        var tolerances = Gen.of(rnd -> new Tolerance(RandomCluster.generate(rnd, 5, 12), 1 + rnd.nextInt(2)));
        Property.forAll(tolerances).tries(200).check(t -> {
            var cluster = t.cluster();
            int n = t.failures();
            var result = admission.check(cluster.snapshot(), new HaSettings(n, 30));
            var hosts = cluster.snapshot().hosts();
            boolean anyUnplaced = false;
            for (int i = 0; i < hosts.size(); i++) {
                for (int j = n == 1 ? i : i + 1; j < (n == 1 ? i + 1 : hosts.size()); j++) {
                    var health = new HashMap<String, HostHealth>();
                    health.put(hosts.get(i).name(), Fixtures.dead());
                    health.put(hosts.get(j).name(), Fixtures.dead());
                    var plan = planner.plan(cluster.snapshot(), health, Set.of(), 0);
                    boolean unplaced = !plan.only(RecoveryAction.Unplaced.class).isEmpty();
                    anyUnplaced |= unplaced;
                    if (result instanceof Admission.Admitted) assertThat(unplaced).as("admitted but %s fails", health.keySet()).isFalse();
                }
            }
            if (result instanceof Admission.Rejected r && !r.unplaced().isEmpty()) assertThat(anyUnplaced).isTrue();
        });
    }
}
