package io.polyvisor.placement;

import io.polyvisor.model.Vm;

import java.util.Set;

/**
 * Where should {@code vm} run?
 *
 * @param pinnedHost   the user's {@code --host}: only this host is considered (rules still apply)
 * @param excludeHosts hosts not to use (e.g. the failed host, or the host a standby must avoid)
 */
public record PlacementRequest(Vm vm, String pinnedHost, Set<String> excludeHosts) {
    public PlacementRequest {
        excludeHosts = excludeHosts == null ? Set.of() : Set.copyOf(excludeHosts);
    }

    public static PlacementRequest of(Vm vm) {
        return new PlacementRequest(vm, null, Set.of());
    }
}
