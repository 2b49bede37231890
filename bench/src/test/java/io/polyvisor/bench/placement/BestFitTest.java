package io.polyvisor.bench.placement;

import io.polyvisor.model.Capacity;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.PlacementSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench's best-fit reference against a plain linear scan written from the definition (the feasible host with the
 * least free memory, lowest index on ties), and its fluid bound against hand-computed values.
 */
class BestFitTest {
    private static final PlacementSettings SETTINGS = PlacementSettings.DEFAULTS;

    @Test
    void choosesWhatALinearBestFitScanChooses() {
        var random = new Random(11);
        for (int world = 0; world < 200; world++) {
            int n = 1 + random.nextInt(12);
            var hosts = new ArrayList<Host>();
            for (int i = 0; i < n; i++) {
                int cores = 1 + random.nextInt(16);
                hosts.add(new Host("h" + i, URI.create("sim://t/h" + i), new Capacity(cores, (1 + random.nextInt(32)) * Sizes.GiB),
                        Map.of("zone", "z" + random.nextInt(2)), HostState.CONNECTED));
            }
            var bestFit = new BestFit(hosts, SETTINGS);
            double[] cpu = new double[n];
            long[] mem = new long[n];
            var groups = new HashMap<String, List<Integer>>();
            for (int i = 0; i < n; i++) {
                cpu[i] = hosts.get(i).capacity().cpus() * SETTINGS.cpuOvercommit();
                mem[i] = (long) (hosts.get(i).capacity().memoryBytes() * SETTINGS.memoryOvercommit());
            }
            int requests = random.nextInt(60);
            for (int r = 0; r < requests; r++) {
                var labels = new HashMap<String, String>();
                if (random.nextInt(4) == 0) labels.put("anti-affinity", "g" + random.nextInt(3));
                if (random.nextInt(4) == 0) labels.put("host.require.zone", "z" + random.nextInt(2));
                var vm = new Vm(new UUID(1, r), "vm" + r, VmSpec.of(1 + random.nextInt(8), (1 + random.nextInt(8)) * Sizes.GiB),
                        labels, null, null, null, VmState.PENDING, null);
                int expected = -1;
                for (int h = 0; h < n; h++) {
                    boolean fits = cpu[h] >= vm.spec().vcpus() && mem[h] >= vm.spec().memoryBytes();
                    boolean rules = (!labels.containsKey("anti-affinity") || !groups.getOrDefault(labels.get("anti-affinity"), List.of()).contains(h))
                            && (!labels.containsKey("host.require.zone") || labels.get("host.require.zone").equals(hosts.get(h).labels().get("zone")));
                    if (fits && rules && (expected < 0 || mem[h] < mem[expected])) expected = h;
                }
                assertThat(bestFit.place(vm)).as("world %d request %d", world, r).isEqualTo(expected);
                if (expected >= 0) {
                    cpu[expected] -= vm.spec().vcpus();
                    mem[expected] -= vm.spec().memoryBytes();
                    if (labels.containsKey("anti-affinity")) groups.computeIfAbsent(labels.get("anti-affinity"), g -> new ArrayList<>()).add(expected);
                }
            }
        }
    }

    @Test
    void theFluidBoundIsTheScarcerResourceOverTheMostGenerousHost() {
        var hosts = List.of(new Host("a", URI.create("sim://t/a"), new Capacity(8, 32 * Sizes.GiB), Map.of(), HostState.CONNECTED),
                new Host("b", URI.create("sim://t/b"), new Capacity(4, 8 * Sizes.GiB), Map.of(), HostState.CONNECTED));
        var vms = List.of(vm(4, 40), vm(2, 24)); // 6 vCPUs, 64 GiB; most generous host: 4 GiB and 4 vCPUs per core
        assertThat(PlacementBench.boundCores(hosts, vms, SETTINGS)).isEqualTo(16.0);
        var cpuHeavy = List.of(vm(64, 1), vm(16, 1)); // 80 vCPUs over 4 per core: 20 cores, memory needs only 0.5
        assertThat(PlacementBench.boundCores(hosts, cpuHeavy, SETTINGS)).isEqualTo(20.0);
    }

    private static Vm vm(int vcpus, long gib) {
        return new Vm(UUID.randomUUID(), "v", VmSpec.of(vcpus, gib * Sizes.GiB), Map.of(), null, null, null, VmState.PENDING, null);
    }
}
