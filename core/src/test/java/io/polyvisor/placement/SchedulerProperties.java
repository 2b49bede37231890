package io.polyvisor.placement;

import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Vm;
import io.polyvisor.testing.Gen;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.Test;

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

    /** {@code requests} placements on {@code hostCount} hosts, both drawn from {@code seed}; it shrinks to fewer hosts and requests. */
    record Workload(long seed, int hostCount, int requests, int candidates) {}

    @Test
    void placementsNeverExceedHardCapacityNorBreakHardRules() {
        var workloads = Gen.zip(Gen.seeds(), Gen.ints(1, 12), Gen.ints(1, 60), Gen.ints(1, 16), Workload::new);
        Property.forAll(workloads).tries(200).check(SchedulerProperties::placeAll);
    }

    private static void placeAll(Workload w) {
        int hostCount = w.hostCount(), requests = w.requests(), candidates = w.candidates();
        Random r = new Random(w.seed());
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

    /** Hosts, the VMs already placed on them, and a new VM arriving. */
    record Arrival(List<Host> hosts, List<Vm> placed, Vm arriving) {
        static Arrival random(Random r) {
            List<Host> hosts = new ArrayList<>();
            int hostCount = 1 + r.nextInt(20), placedCount = r.nextInt(30); // drawn once, not per iteration
            for (int i = 0; i < hostCount; i++) hosts.add(host("h" + i, 1 + r.nextInt(4), 1 + r.nextInt(8)));
            List<Vm> vms = new ArrayList<>();
            for (int i = 0; i < placedCount; i++) vms.add(vm("p" + i, 1 + r.nextInt(4), 1 + r.nextInt(4), "h" + r.nextInt(hosts.size()), Map.of()));
            return new Arrival(hosts, vms, vm("new", 1 + r.nextInt(8), 1 + r.nextInt(8)));
        }
    }

    @Test
    void boundedSearchFindsAHostWheneverExhaustiveSearchDoes() {
        var feasibleCases = new java.util.concurrent.atomic.AtomicInteger();
        Property.forAll(Gen.of(Arrival::random)).tries(300).check(a -> {
            ClusterSnapshot snap = ClusterSnapshot.of(a.hosts(), a.placed());
            Scheduler bounded = new Scheduler(PlacementSettings.DEFAULTS.withMaxCandidates(1));
            var req = PlacementRequest.of(a.arriving());
            // the oracle, written from the rules rather than through the scheduler's filters: a connected host whose
            // reserved vCPUs and memory plus the new VM's stay within capacity times the default overcommit
            var s = PlacementSettings.DEFAULTS;
            boolean anyFeasible = a.hosts().stream().anyMatch(h -> {
                int cpus = a.arriving().spec().vcpus();
                long mem = a.arriving().spec().memoryBytes();
                for (Vm v : a.placed()) {
                    if (!h.name().equals(v.host())) continue;
                    cpus += v.spec().vcpus();
                    mem += v.spec().memoryBytes();
                }
                return h.state() == HostState.CONNECTED && cpus <= h.capacity().cpus() * s.cpuOvercommit()
                        && mem <= h.capacity().memoryBytes() * s.memoryOvercommit();
            });
            assertThat(bounded.place(snap, req) instanceof Placement.Placed).isEqualTo(anyFeasible);
            if (anyFeasible) feasibleCases.incrementAndGet();
        });
        System.out.println("bounded search: " + feasibleCases.get() + " of 300 arrivals had a feasible host");
        assertThat(feasibleCases.get()).as("both branches are reached").isBetween(30, 270);
    }
}
