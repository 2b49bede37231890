package io.polyvisor.model;

import java.util.Locale;

/** The state of a hypervisor host as seen by the control plane. */
public enum HostState {
    /** Reachable and accepting VMs. */
    CONNECTED,
    /** Not reachable from the control plane; its VMs may still run (not yet proven dead). */
    DISCONNECTED,
    /** Reachable, accepts no new VMs, being (or already) evacuated. */
    MAINTENANCE,
    /** Declared dead: fenced, or fencing failed and it needs a human. */
    FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether new VMs may be placed on a host in this state. */
    public boolean schedulable() {
        return this == CONNECTED;
    }
}
