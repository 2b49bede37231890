package io.polyvisor.placement;

import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Vm;
import io.polyvisor.testing.Gen;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static io.polyvisor.placement.Fixtures.host;
import static io.polyvisor.placement.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fullest-first search ({@link FullnessIndex}) against an oracle written from the definitions, not through the
 * scheduler: on clusters larger than maxCandidates, a request without soft rules lands on a host that admits it (state,
 * capacity, zone, anti-affinity checked here) and, with at most 16 host sizes (the index), whose binpack score is within
 * the index's resolution (1/32) of the best feasible host's; a request is refused only when no host admits it.
 */
class NearBestFitProperties {
    /** Up to {@code hostCount} hosts of {@code sizes} capacities (above 16: the index is not built, host order is used). */
    record Cluster(long seed, int hostCount, int sizes, int requests) {}

    @Test
    void everyPlacementIsFeasibleAndWithinTheResolutionOfTheBestFit() {
        var cases = Gen.zip(Gen.seeds(), Gen.ints(9, 300), Gen.ints(1, 24), Gen.ints(1, 120), Cluster::new);
        AtomicInteger placed = new AtomicInteger(), refused = new AtomicInteger(), notFirstInHostOrder = new AtomicInteger(),
                manySizes = new AtomicInteger();
        Property.forAll(cases).tries(150).check(c -> {
            Random r = new Random(c.seed());
            List<Host> hosts = new ArrayList<>();
            for (int i = 0; i < c.hostCount(); i++) {
                int size = r.nextInt(c.sizes());
                HostState st = r.nextInt(10) == 0 ? HostState.MAINTENANCE : HostState.CONNECTED;
                hosts.add(host("h" + i, 2 + size, 4 + 3 * size, st, Map.of("zone", "z" + r.nextInt(3))));
            }
            if (c.sizes() > FullnessIndex.MAX_CLASSES) manySizes.incrementAndGet();
            var settings = PlacementSettings.DEFAULTS.withOvercommit(2, 1.0); // maxCandidates 8 < 9 hosts: not exhaustive
            Scheduler.Session s = new Scheduler(settings).session(ClusterSnapshot.of(hosts, List.of()));
            double[] cpu = new double[hosts.size()], mem = new double[hosts.size()];
            List<List<String>> groups = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) groups.add(new ArrayList<>());
            for (int q = 0; q < c.requests(); q++) {
                String zone = r.nextInt(5) == 0 ? "z" + r.nextInt(3) : null;
                String anti = zone == null && r.nextInt(4) == 0 ? "g" + r.nextInt(4) : null; // one rule per VM
                Map<String, String> labels = zone != null ? Map.of("host.require.zone", zone) : anti != null ? Map.of("anti-affinity", anti) : Map.of();
                Vm v = vm("vm-" + q, 1 + r.nextInt(6), 1 + r.nextInt(12), null, labels);
                double best = Double.NEGATIVE_INFINITY;
                int firstFeasible = -1;
                for (int h = 0; h < hosts.size(); h++) {
                    if (!admits(hosts.get(h), cpu[h], mem[h], groups.get(h), v, settings)) continue;
                    if (firstFeasible < 0) firstFeasible = h;
                    best = Math.max(best, binpack(hosts.get(h), cpu[h], mem[h], v, settings));
                }
                Placement p = s.place(PlacementRequest.of(v));
                if (firstFeasible < 0) {
                    final int q0 = q;
                    assertThat(p).as(() -> "no host admits " + v + " (request " + q0 + "); used " + java.util.Arrays.toString(cpu) + " "
                            + java.util.Arrays.toString(mem) + " hosts " + hosts).isInstanceOf(Placement.Rejected.class);
                    refused.incrementAndGet();
                    continue;
                }
                assertThat(p).as("a host admits %s", v.name()).isInstanceOf(Placement.Placed.class);
                int h = Integer.parseInt(((Placement.Placed) p).host().substring(1));
                assertThat(admits(hosts.get(h), cpu[h], mem[h], groups.get(h), v, settings)).as("chosen host admits it").isTrue();
                if (c.sizes() <= FullnessIndex.MAX_CLASSES) { // beyond, the bounded search in host order: feasible only
                    assertThat(binpack(hosts.get(h), cpu[h], mem[h], v, settings)).isGreaterThanOrEqualTo(best - 1.0 / 32 - 1e-9);
                }
                if (h != firstFeasible) notFirstInHostOrder.incrementAndGet();
                placed.incrementAndGet();
                cpu[h] += v.spec().vcpus();
                mem[h] += v.spec().memoryBytes();
                if (anti != null) groups.get(h).add(anti);
            }
        });
        System.out.printf("near best fit: %d placed (%d not on the first feasible host in host order), %d refused, %d clusters above %d sizes%n",
                placed.get(), notFirstInHostOrder.get(), refused.get(), manySizes.get(), FullnessIndex.MAX_CLASSES);
        assertThat(notFirstInHostOrder.get()).as("the order differs from host order").isPositive();
        assertThat(refused.get()).as("full clusters are reached").isPositive();
        assertThat(manySizes.get()).as("clusters the index does not cover are reached").isPositive();
    }

    private static boolean admits(Host h, double cpu, double mem, List<String> groups, Vm v, PlacementSettings s) {
        String zone = v.labels().get("host.require.zone"), anti = v.labels().get("anti-affinity");
        return h.state() == HostState.CONNECTED && cpu + v.spec().vcpus() <= h.capacity().cpus() * s.cpuOvercommit()
                && mem + v.spec().memoryBytes() <= h.capacity().memoryBytes() * s.memoryOvercommit()
                && (zone == null || zone.equals(h.labels().get("zone"))) && (anti == null || !groups.contains(anti));
    }

    /** The mean of the CPU and memory fractions reserved after placing {@code v} (the binpack scorer's definition). */
    private static double binpack(Host h, double cpu, double mem, Vm v, PlacementSettings s) {
        return ((cpu + v.spec().vcpus()) / (h.capacity().cpus() * s.cpuOvercommit())
                + (mem + v.spec().memoryBytes()) / (h.capacity().memoryBytes() * s.memoryOvercommit())) / 2;
    }
}
