package io.polyvisor.balance;

import io.polyvisor.model.Host;

/**
 * A host's power draw at idle and at full CPU, in watts, read from the host labels
 * {@code power.idle-watts} and {@code power.max-watts}. Hosts without them count as equally efficient.
 */
public record HostPower(double idleWatts, double maxWatts) {
    public static final String IDLE_LABEL = "power.idle-watts";
    public static final String MAX_LABEL = "power.max-watts";
    static final HostPower UNKNOWN = new HostPower(100, 200);

    public static HostPower of(Host h) {
        try {
            String idle = h.labels().get(IDLE_LABEL), max = h.labels().get(MAX_LABEL);
            if (idle == null || max == null) return UNKNOWN;
            return new HostPower(Double.parseDouble(idle), Double.parseDouble(max));
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }

    /** Watts per core at full load: lower is more efficient. */
    double wattsPerCore(double cores) {
        return cores <= 0 ? Double.MAX_VALUE : maxWatts / cores;
    }
}
