package io.polyvisor.ha;

import java.util.Locale;

/**
 * What the failure detector thinks of a host right now, from its heartbeat history alone. It never says
 * "dead": only fencing can prove that (see {@link HostHealth}).
 */
public enum Suspicion {
    /** Heartbeats arrive as expected. */
    HEALTHY,
    /** Heartbeats are late; nothing is done yet, but the host gets no new VMs. */
    SUSPECT,
    /** Heartbeats are so late that the host is presumed failed; fencing starts. It may still run VMs. */
    UNREACHABLE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
