package io.polyvisor.balance;

import io.polyvisor.placement.ClusterSnapshot;

import java.util.Map;
import java.util.UUID;

/**
 * Everything a balancing decision reads. The balancer keeps no state between runs: the controller
 * passes the memory of past runs in here (when each VM last moved, since when each host has been active).
 *
 * @param nowSeconds      the controller's clock, in seconds (decisions never read a clock)
 * @param lastMovedAt     per VM, when it last finished or started a migration (seconds); absent = never
 * @param hostActiveSince per host, since when it has run VMs (seconds); absent = long ago
 * @param cpuForecast     optional per-VM CPU demand to plan with (cores) instead of the measured usage
 * @param dirtyRate       optional per-VM memory dirty rate (bytes/s) where the driver reports it
 */
public record BalanceInput(ClusterSnapshot snapshot, long nowSeconds, Map<UUID, Long> lastMovedAt,
                           Map<String, Long> hostActiveSince, Map<UUID, Double> cpuForecast, Map<UUID, Long> dirtyRate) {
    public BalanceInput {
        lastMovedAt = Map.copyOf(lastMovedAt == null ? Map.of() : lastMovedAt);
        hostActiveSince = Map.copyOf(hostActiveSince == null ? Map.of() : hostActiveSince);
        cpuForecast = Map.copyOf(cpuForecast == null ? Map.of() : cpuForecast);
        dirtyRate = Map.copyOf(dirtyRate == null ? Map.of() : dirtyRate);
    }

    public static BalanceInput of(ClusterSnapshot snapshot, long nowSeconds) {
        return new BalanceInput(snapshot, nowSeconds, Map.of(), Map.of(), Map.of(), Map.of());
    }
}
