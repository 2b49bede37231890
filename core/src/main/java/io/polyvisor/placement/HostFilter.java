package io.polyvisor.placement;

/**
 * A hard placement rule: may {@code host} run the request? One small class per rule, registered in
 * {@link PlacementPlugins}. Filters are pure and cheap; the scheduler runs them in registry order
 * (cheapest first) and counts, per filter, the hosts it excluded.
 */
public interface HostFilter {
    /** Stable name shown to users in rejections, e.g. {@code capacity}. */
    String name();

    boolean admits(ClusterView view, int host, Demand demand);

    /** A sentence fit for a user saying why {@code host} was excluded; called only when {@link #admits} is false. */
    String reason(ClusterView view, int host, Demand demand);

    /**
     * True when a host this filter excludes may admit the same request later without anyone changing
     * configuration (capacity frees up); false for rules that hold until a user changes them (labels, pinning).
     */
    default boolean transientExclusion() {
        return false;
    }
}
