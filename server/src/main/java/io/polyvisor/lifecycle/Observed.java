package io.polyvisor.lifecycle;

import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.spi.PowerState;

/** Maps what a driver reports to Polyvisor's VM states. Pure. */
public final class Observed {
    private Observed() {}

    /**
     * The state a VM is in, given the power state its host reports ({@code null} = not defined there).
     * A VM that should run but is off, crashed or gone was stopped by something other than Polyvisor:
     * it is failed, with the reason, so that users and HA see it.
     */
    public static VmState state(Vm vm, PowerState power, String host) {
        if (power == null) {
            return vm.intent() == PowerIntent.DELETED ? VmState.DELETED
                    : new VmState.Failed("vm vanished from host " + host);
        }
        return switch (power) {
            case RUNNING -> VmState.RUNNING;
            case PAUSED -> VmState.PAUSED;
            case CRASHED -> new VmState.Failed("crashed on host " + host);
            case SHUTOFF -> vm.intent() == PowerIntent.RUNNING || vm.intent() == PowerIntent.PAUSED
                    ? new VmState.Failed("stopped outside Polyvisor on host " + host) : VmState.STOPPED;
        };
    }

    /** What the lifecycle controller itself expects after it powered a VM to {@code power}. */
    public static VmState afterOwnAction(PowerState power) {
        return switch (power) {
            case RUNNING -> VmState.RUNNING;
            case PAUSED -> VmState.PAUSED;
            case SHUTOFF -> VmState.STOPPED;
            case CRASHED -> new VmState.Failed("crashed");
        };
    }
}
