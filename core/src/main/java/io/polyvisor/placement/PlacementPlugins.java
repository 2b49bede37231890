package io.polyvisor.placement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The registry: filter and scorer names to factories. Filters run in registration order, cheapest
 * first; scorers are enabled by a positive weight in {@link PlacementSettings#weights()}.
 */
public final class PlacementPlugins {
    /** The filter that keeps a VM and its hot standby on different hosts; its name in rejections' {@code excludedBy}. */
    public static final String STANDBY_APART = StandbyApartFilter.NAME;
    private static final Map<String, Supplier<HostFilter>> FILTERS = new LinkedHashMap<>();
    private static final Map<String, Supplier<HostScorer>> SCORERS = new LinkedHashMap<>();

    static {
        FILTERS.put(HostStateFilter.NAME, HostStateFilter::new);
        FILTERS.put(StandbyApartFilter.NAME, StandbyApartFilter::new); // before pinning: HA's requests also exclude the partner's host
        FILTERS.put(PinningFilter.NAME, PinningFilter::new);
        FILTERS.put(LocalStorageFilter.NAME, LocalStorageFilter::new);
        FILTERS.put(CapacityFilter.NAME, CapacityFilter::new);
        FILTERS.put(HostRuleFilter.NAME, HostRuleFilter::new);
        FILTERS.put(AntiAffinityFilter.NAME, AntiAffinityFilter::new);
        FILTERS.put(AffinityFilter.NAME, AffinityFilter::new);
        SCORERS.put(BinPackScorer.NAME, BinPackScorer::new);
        SCORERS.put(SpreadScorer.NAME, SpreadScorer::new);
        SCORERS.put(AffinityScorer.NAME, AffinityScorer::new);
        SCORERS.put(HostPreferenceScorer.NAME, HostPreferenceScorer::new);
    }

    private PlacementPlugins() {}

    /** Every filter, in evaluation order. */
    public static List<HostFilter> filters() {
        return FILTERS.values().stream().map(Supplier::get).toList();
    }

    /** The scorers with a positive weight in {@code settings}. */
    public static List<HostScorer> scorers(PlacementSettings settings) {
        return SCORERS.entrySet().stream()
                .filter(e -> settings.weights().getOrDefault(e.getKey(), 0.0) > 0)
                .map(e -> e.getValue().get()).toList();
    }

    public static List<String> scorerNames() {
        return List.copyOf(SCORERS.keySet());
    }
}
