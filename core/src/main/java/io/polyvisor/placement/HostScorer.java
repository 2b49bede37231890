package io.polyvisor.placement;

/**
 * A soft preference among hosts that passed every filter. Returns a score in [0, 1], higher is better;
 * the scheduler multiplies it by the scorer's weight from {@link PlacementSettings#weights()}.
 */
public interface HostScorer {
    String name();

    double score(ClusterView view, int host, Demand demand);
}
