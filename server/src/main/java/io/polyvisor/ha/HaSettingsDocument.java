package io.polyvisor.ha;

import io.polyvisor.settings.Codec;
import io.polyvisor.settings.Legacy;
import io.polyvisor.settings.SettingsKey;

import java.util.Map;

/** How {@link HaSettings} are stored: the document {@code ha}, once the keys {@code ha.tolerate_host_failures} and {@code ha.fence_retry_seconds}. */
final class HaSettingsDocument {
    static final String TOLERATE = "tolerate_host_failures", FENCE_RETRY = "fence_retry_seconds";
    static final SettingsKey<HaSettings> KEY = new SettingsKey<>("ha", HaSettings.DEFAULTS,
            Codec.of(s -> Map.of(TOLERATE, s.tolerateHostFailures(), FENCE_RETRY, s.fenceRetrySeconds()),
                    d -> new HaSettings(d.integer(TOLERATE, HaSettings.DEFAULTS.tolerateHostFailures()),
                            d.integer(FENCE_RETRY, HaSettings.DEFAULTS.fenceRetrySeconds()))),
            new Legacy.Fields<>(Map.of(TOLERATE, "ha.tolerate_host_failures", FENCE_RETRY, "ha.fence_retry_seconds")));

    private HaSettingsDocument() {}
}
