package io.polyvisor.ha;

import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.util.Map;
import java.util.Optional;

/**
 * Whether a standby-protected VM is protected right now: its standby runs, on another host, and that host is
 * healthy. Otherwise the reason a user reads in {@code ha status} and in the VM's {@code ha} field. Pure.
 */
public final class PairProtection {
    private PairProtection() {}

    /**
     * @param standby  the primary's standby instance (not deleted), or null when it has none
     * @param health   per host; hosts absent are healthy
     * @param unplaced why HA found no host for a missing standby, or to restart one that is down; null if it found one
     * @return the reason the VM is unprotected, or empty when it is protected (or not standby-protected at all,
     *         or not meant to run: a standby is kept only for a running VM)
     */
    public static Optional<String> unprotected(Vm primary, Vm standby, Map<String, HostHealth> health, String unplaced) {
        if (primary.protection() != Protection.STANDBY || HaLabels.isStandby(primary) || primary.intent() != PowerIntent.RUNNING
                || primary.state() instanceof VmState.Deleted) {
            return Optional.empty();
        }
        if (standby == null) {
            return Optional.of(unplaced != null ? "no host for its standby: " + unplaced : "its standby is not built yet");
        }
        if (standby.host() != null && standby.host().equals(primary.host())) {
            return Optional.of("its standby " + standby.name() + " runs on the same host, " + primary.host());
        }
        if (!(standby.state() instanceof VmState.Running)) {
            return Optional.of("its standby " + standby.name() + " is " + standby.state().label()
                    + (standby.host() == null ? "" : " on host " + standby.host()) + (unplaced == null ? "" : " and no host can take it: " + unplaced));
        }
        HostHealth h = health.get(standby.host());
        if (h != null && !(h instanceof HostHealth.Healthy)) {
            return Optional.of("the host of its standby " + standby.name() + ", " + standby.host() + ", is " + h.label());
        }
        return Optional.empty();
    }
}
