package io.polyvisor.bench.autoscale;

/**
 * A scaling policy replayed by {@link GroupSim}: evaluated every {@link #periodS()} seconds on a metric averaged over
 * {@link #windowS()} seconds. One instance per replay (policies keep state between evaluations).
 */
sealed interface ScalingPolicy permits PolyvisorTracking, Hpa, AwsTargetTracking, OneFlow {
    String name();

    int periodS();

    /** The metric's averaging window (its resolution at the source). */
    int windowS();

    Plan evaluate(Observation o);
}
