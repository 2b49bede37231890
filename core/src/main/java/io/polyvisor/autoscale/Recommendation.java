package io.polyvisor.autoscale;

import java.time.Instant;

/**
 * The member count the metric asked for at one evaluation (within min and max), and the load it was measured from
 * (NaN without a measurement): the stabilisation windows' history.
 */
public record Recommendation(Instant at, int count, double load) {
    public Recommendation(Instant at, int count) {
        this(at, count, Double.NaN);
    }

    boolean measured() {
        return !Double.isNaN(load);
    }
}
