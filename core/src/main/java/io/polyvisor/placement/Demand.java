package io.polyvisor.placement;

import io.polyvisor.model.Vm;

import java.util.Map;
import java.util.Set;

/**
 * A placement request with the figures filters and scorers need, computed once.
 *
 * @param vcpus       reserved vCPUs
 * @param memoryBytes reserved memory
 * @param rules       the VM's placement rules, parsed from its labels
 */
public record Demand(Vm vm, int vcpus, long memoryBytes, String pinnedHost, Set<String> excludeHosts, PlacementRules rules) {
    public static Demand of(PlacementRequest r) {
        Vm vm = r.vm();
        return new Demand(vm, vm.spec().vcpus(), vm.spec().memoryBytes(), r.pinnedHost(), r.excludeHosts(),
                PlacementRules.of(vm.labels()));
    }

    Map<String, String> labels() {
        return vm.labels();
    }
}
