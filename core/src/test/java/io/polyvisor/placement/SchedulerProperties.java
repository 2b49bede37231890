package io.polyvisor.placement;

import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Vm;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.polyvisor.placement.Fixtures.host;
import static io.polyvisor.placement.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

/** Invariants of placement over random clusters and request streams, checked independently of the scheduler's code. */
class SchedulerProperties {

    @Property(tries = 200)
    void placementsNeverExceedHardCapacityNorBreakHardRules(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int hostCount,
                                                           @ForAll @IntRange(min = 1, max = 60) int requests, @ForAll @IntRange(min = 1, max = 16) int candidates) {
        Random r = new Random(seed);
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < hostCount; i++) {
            HostState st = r.nextInt(6) == 0 ? HostState.MAINTENANCE : HostState.CONNECTED;
            hosts.add(host("h" + i, 1 + r.nextInt(8), 1 + r.nextInt(32), st, Map.of("zone", "z" + r.nextInt(2))));
        }
        PlacementSettings settings = PlacementSettings.DEFAULTS.withOvercommit(1 + r.nextInt(4), 1.0).withMaxCandidates(candidates);
        Scheduler.Session s = new Scheduler(settings).session(ClusterSnapshot.of(hosts, List.of()));
        Map<String, double[]> used = new HashMap<>();
        Map<String, List<Vm>> placed = new HashMap<>();
        for (int i = 0; i < requests; i++) {
            Map<String, String> labels = new HashMap<>();
            switch (r.nextInt(5)) {
                case 0 -> labels.put("anti-affinity", "g" + r.nextInt(3));
                case 1 -> labels.put("host.require.zone", "z" + r.nextInt(2));
                case 2 -> labels.put("affinity", "a" + r.nextInt(2));
                default -> { }
            }
            Vm vm = vm("vm-" + i, 1 + r.nextInt(6), 1 + r.nextInt(8), null, labels);
            Placement p = s.place(PlacementRequest.of(vm));
            if (p instanceof Placement.Placed ok) {
                Host h = hosts.stream().filter(x -> x.name().equals(ok.host())).findFirst().orElseThrow();
                double[] u = used.computeIfAbsent(h.name(), k -> new double[2]);
                u[0] += vm.spec().vcpus();
                u[1] += vm.spec().memoryBytes();
                assertThat(h.state()).isEqualTo(HostState.CONNECTED);
                assertThat(u[0]).isLessThanOrEqualTo(h.capacity().cpus() * settings.cpuOvercommit());
                assertThat(u[1]).isLessThanOrEqualTo(h.capacity().memoryBytes() * settings.memoryOvercommit());
                if (labels.containsKey("host.require.zone")) assertThat(h.labels().get("zone")).isEqualTo(labels.get("host.require.zone"));
                List<Vm> there = placed.computeIfAbsent(h.name(), k -> new ArrayList<>());
                if (labels.containsKey("anti-affinity")) {
                    assertThat(there).noneMatch(o -> labels.get("anti-affinity").equals(o.labels().get("anti-affinity")));
                }
                if (labels.containsKey("affinity")) {
                    boolean groupElsewhere = placed.entrySet().stream().anyMatch(e -> !e.getKey().equals(h.name())
                            && e.getValue().stream().anyMatch(o -> labels.get("affinity").equals(o.labels().get("affinity"))));
                    boolean groupHere = there.stream().anyMatch(o -> labels.get("affinity").equals(o.labels().get("affinity")));
                    assertThat(!groupElsewhere || groupHere).as("affinity group stays together").isTrue();
                }
                there.add(vm);
            } else {
                Placement.Rejected no = (Placement.Rejected) p;
                assertThat(no.excludedBy().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(hostCount);
            }
        }
    }

    @Property(tries = 100)
    void boundedSearchFindsAHostWheneverExhaustiveSearchDoes(@ForAll long seed) {
        Random r = new Random(seed);
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < 1 + r.nextInt(20); i++) hosts.add(host("h" + i, 1 + r.nextInt(4), 1 + r.nextInt(8)));
        List<Vm> vms = new ArrayList<>();
        for (int i = 0; i < r.nextInt(30); i++) vms.add(vm("p" + i, 1 + r.nextInt(4), 1 + r.nextInt(4), "h" + r.nextInt(hosts.size()), Map.of()));
        ClusterSnapshot snap = ClusterSnapshot.of(hosts, vms);
        Vm req = vm("new", 1 + r.nextInt(8), 1 + r.nextInt(8));
        Scheduler bounded = new Scheduler(PlacementSettings.DEFAULTS.withMaxCandidates(1));
        boolean anyFeasible = bounded.explain(snap, PlacementRequest.of(req)).hosts().stream().anyMatch(v -> v.excludedBy() == null);
        assertThat(bounded.place(snap, PlacementRequest.of(req)) instanceof Placement.Placed).isEqualTo(anyFeasible);
    }
}
