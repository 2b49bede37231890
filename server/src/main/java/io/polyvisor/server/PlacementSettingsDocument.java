package io.polyvisor.server;

import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.settings.Codec;
import io.polyvisor.settings.Document;
import io.polyvisor.settings.SettingsKey;

import java.util.Map;
import java.util.TreeMap;

/**
 * How {@link PlacementSettings} are stored: the document {@code placement}, read once at start by the
 * composition root, which hands the one value to the scheduler and to the balancer.
 */
final class PlacementSettingsDocument {
    static final SettingsKey<PlacementSettings> KEY = new SettingsKey<>("placement", PlacementSettings.DEFAULTS,
            Codec.of(PlacementSettingsDocument::write, PlacementSettingsDocument::read));

    private PlacementSettingsDocument() {}

    private static Map<String, Object> write(PlacementSettings s) {
        return Map.of("cpu_overcommit", s.cpuOvercommit(), "memory_overcommit", s.memoryOvercommit(),
                "weights", new TreeMap<>(s.weights()), "max_candidates", s.maxCandidates());
    }

    private static PlacementSettings read(Document d) {
        PlacementSettings x = PlacementSettings.DEFAULTS;
        return new PlacementSettings(d.number("cpu_overcommit", x.cpuOvercommit()), d.number("memory_overcommit", x.memoryOvercommit()),
                d.numbers("weights", x.weights()), d.integer("max_candidates", x.maxCandidates()));
    }
}
