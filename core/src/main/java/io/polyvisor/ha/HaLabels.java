package io.polyvisor.ha;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Vm;

import java.util.Optional;
import java.util.UUID;

/**
 * The VM labels high availability reads and writes. A hot standby is an ordinary VM row (its own UUID,
 * so its own domain) carrying {@link #STANDBY_OF}; the primary is the row without it.
 */
public final class HaLabels {
    /** On a standby instance: the id of the primary it backs. Written by Polyvisor only. */
    public static final String STANDBY_OF = io.polyvisor.placement.PlacementRules.STANDBY_OF;
    /** Optional, set by users: restart order within one priority, lower first (0 to 9999, default 1000). */
    public static final String START_ORDER = "polyvisor.io/start-order";
    public static final int DEFAULT_START_ORDER = 1000;
    /**
     * Optional, set by users: a guest TCP port (one of the VM's exposed ports) that must answer
     * {@code GET /} over HTTP; after 3 failed checks in a row, once it has answered at least once since it
     * started, the VM is treated as crashed (forced off and restarted, or its standby takes over).
     */
    public static final String HEALTH_HTTP = "polyvisor.io/health-http";

    private HaLabels() {}

    /** The primary's id if {@code vm} is a standby instance. */
    public static Optional<UUID> standbyOf(Vm vm) {
        String v = vm.labels().get(STANDBY_OF);
        return v == null ? Optional.empty() : Optional.of(UUID.fromString(v));
    }

    public static boolean isStandby(Vm vm) {
        return vm.labels().containsKey(STANDBY_OF);
    }

    /** The VM's start order; validated at the edge with {@link #requireStartOrder}, so parsing here trusts it. */
    public static int startOrder(Vm vm) {
        String v = vm.labels().get(START_ORDER);
        if (v == null) return DEFAULT_START_ORDER;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return DEFAULT_START_ORDER;
        }
    }

    /** The guest port of the VM's HTTP health check, if it has one. */
    public static Optional<Integer> healthHttpPort(Vm vm) {
        String v = vm.labels().get(HEALTH_HTTP);
        if (v == null) return Optional.empty();
        try {
            return Optional.of(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Validates a user-supplied start order label value. */
    public static int requireStartOrder(String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidInput("label " + START_ORDER + " must be a number between 0 and 9999, got '" + value + "'");
        }
        InvalidInput.require(n >= 0 && n <= 9999, "label " + START_ORDER + " must be a number between 0 and 9999, got " + n);
        return n;
    }
}
