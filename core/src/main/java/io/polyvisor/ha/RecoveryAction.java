package io.polyvisor.ha;

import io.polyvisor.model.Vm;

import java.util.List;

/**
 * One step of a {@link RecoveryPlan}. Actions that change something come first in a plan, in the order
 * they must run; reports (Unplaced, Stranded, Unprotected) follow and change nothing.
 */
public sealed interface RecoveryAction {

    /** Fence {@code host} (it is unreachable, or a previous fence failed and the backoff elapsed). */
    record FenceHost(String host, List<String> vms, boolean retry) implements RecoveryAction {
        public FenceHost {
            vms = List.copyOf(vms);
        }
    }

    /**
     * Force one crashed or hung instance off through its (answering) host's driver before it is restarted.
     * Contract for executors: if this fails, the {@link Restart} of the same VM later in the plan must be skipped.
     */
    record FenceVm(Vm vm, String host, String reason) implements RecoveryAction {}

    /**
     * The standby instance becomes the primary and the service endpoint moves to it; the old primary becomes
     * the standby (rebuilt by a later Restart once its instance is proven stopped). See {@link StandbyRollover#swap}.
     */
    record Promote(Vm primary, Vm standby, String reason) implements RecoveryAction {}

    /** Start {@code vm} (same UUID) on host {@code to}; its instance on {@code from} is proven stopped. */
    record Restart(Vm vm, String from, String to, String reason) implements RecoveryAction {}

    /** Protected and fenced, but no host has room now; {@code resolvable} as in placement's Rejected. */
    record Unplaced(Vm vm, String from, String reason, boolean resolvable) implements RecoveryAction {}

    /** Its host could not be fenced, so it might still run: reported, never restarted (no split brain). */
    record Stranded(Vm vm, String host, String reason) implements RecoveryAction {}

    /** Lost with its fenced host and not protected: reported, stays failed. */
    record Unprotected(Vm vm, String host) implements RecoveryAction {}
}
