package io.polyvisor.balancing;

import io.polyvisor.balance.LoadForecast;
import io.polyvisor.model.Vm;
import io.polyvisor.placement.ClusterSnapshot;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The CPU demand each VM is planned at: {@link LoadForecast} over the measured CPU the balancer saw at its own last
 * rounds (one sample per round that plans, so with the default 30 s interval the window is the last 3 minutes; a
 * round whose migration budget evacuations used up takes none), the same rule
 * the consolidation replay applies per trace interval. A VM whose load just dropped is planned at its recent mean, so
 * a host is not packed on a dip and relieved at the next round. Only the balancer's rounds record samples
 * ({@link #record}); previews and evacuations read them ({@link #peek}). In memory: a restarted server starts over.
 * Thread-safe.
 */
final class VmLoadForecasts {
    private final Map<UUID, LoadForecast.History> history = new HashMap<>();

    /** A balancer round: records each measured VM's CPU and returns the forecasts; forgets VMs no longer listed. */
    synchronized Map<UUID, Double> record(ClusterSnapshot s) {
        Map<UUID, Double> out = new HashMap<>();
        for (Vm vm : s.vms()) {
            var u = s.usage().get(vm.id());
            if (u == null) continue;
            out.put(vm.id(), history.computeIfAbsent(vm.id(), k -> new LoadForecast.History()).add(u.cpuCores()));
        }
        history.keySet().retainAll(s.vms().stream().map(Vm::id).toList());
        return out;
    }

    /** The forecasts as {@link #record} would give them now, recording nothing (a preview, an evacuation). */
    synchronized Map<UUID, Double> peek(ClusterSnapshot s) {
        Map<UUID, Double> out = new HashMap<>();
        for (Vm vm : s.vms()) {
            var u = s.usage().get(vm.id());
            if (u == null) continue;
            var h = history.get(vm.id());
            out.put(vm.id(), h == null ? u.cpuCores() : h.peek(u.cpuCores()));
        }
        return out;
    }
}
