package io.polyvisor.placement;

import io.polyvisor.model.InvalidInput;

import java.util.Map;

/**
 * How the scheduler weighs and bounds its work. Validated here; defaults in {@link #DEFAULTS}.
 *
 * @param cpuOvercommit    vCPUs that may be reserved per host core (hard limit), e.g. 4.0
 * @param memoryOvercommit memory that may be reserved per byte of host memory (hard limit), usually 1.0
 * @param weights          weight per scorer name; a scorer absent from the map has weight 0 (disabled)
 * @param maxCandidates    bounded search: stop after this many feasible hosts were found and score only those
 */
public record PlacementSettings(double cpuOvercommit, double memoryOvercommit, Map<String, Double> weights, int maxCandidates) {
    public static final PlacementSettings DEFAULTS = new PlacementSettings(4.0, 1.0,
            Map.of(BinPackScorer.NAME, 1.0, AffinityScorer.NAME, 2.0, HostPreferenceScorer.NAME, 1.0), 8);

    public PlacementSettings {
        InvalidInput.require(cpuOvercommit >= 0.1 && cpuOvercommit <= 64, "cpu overcommit must be between 0.1 and 64, got " + cpuOvercommit);
        InvalidInput.require(memoryOvercommit >= 0.1 && memoryOvercommit <= 64,
                "memory overcommit must be between 0.1 and 64, got " + memoryOvercommit);
        weights = Map.copyOf(weights == null ? Map.of() : weights);
        weights.forEach((k, v) -> InvalidInput.require(v >= 0 && v <= 100, "weight of " + k + " must be between 0 and 100, got " + v));
        InvalidInput.require(maxCandidates >= 1 && maxCandidates <= 10_000, "max candidates must be between 1 and 10000, got " + maxCandidates);
    }

    public PlacementSettings withOvercommit(double cpu, double memory) {
        return new PlacementSettings(cpu, memory, weights, maxCandidates);
    }

    public PlacementSettings withMaxCandidates(int n) {
        return new PlacementSettings(cpuOvercommit, memoryOvercommit, weights, n);
    }

    public PlacementSettings withWeights(Map<String, Double> w) {
        return new PlacementSettings(cpuOvercommit, memoryOvercommit, w, maxCandidates);
    }
}
