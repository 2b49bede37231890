package io.polyvisor.balancing;

import io.polyvisor.balance.Automation;
import io.polyvisor.balance.BalanceMode;
import io.polyvisor.balance.BalanceSettings;
import io.polyvisor.settings.Codec;
import io.polyvisor.settings.Document;
import io.polyvisor.settings.Legacy;
import io.polyvisor.settings.SettingsKey;

import java.util.LinkedHashMap;
import java.util.Map;

/** How {@link BalanceSettings} are stored: the document {@code balance}, once the keys {@code balance.mode} and {@code balance.automation}. */
final class BalanceSettingsDocument {
    static final SettingsKey<BalanceSettings> KEY = new SettingsKey<>("balance", BalanceSettings.DEFAULTS,
            Codec.of(BalanceSettingsDocument::write, BalanceSettingsDocument::read),
            new Legacy.Fields<>(Map.of("mode", "balance.mode", "automation", "balance.automation")));

    private BalanceSettingsDocument() {}

    private static Map<String, Object> write(BalanceSettings s) {
        var m = new LinkedHashMap<String, Object>();
        m.put("mode", s.mode().label());
        m.put("automation", s.automation().label());
        m.put("high_watermark", s.highWatermark());
        m.put("target_utilization", s.targetUtilization());
        m.put("tolerance", s.tolerance());
        m.put("hysteresis", s.hysteresis());
        m.put("min_improvement", s.minImprovement());
        m.put("cooldown_seconds", s.cooldownSeconds());
        m.put("max_concurrent", s.maxConcurrent());
        m.put("bandwidth_bytes_per_sec", s.bandwidthBytesPerSec());
        m.put("host_hold_seconds", s.hostHoldSeconds());
        m.put("horizon_seconds", s.horizonSeconds());
        m.put("penalty_watts", s.penaltyWatts());
        return m;
    }

    private static BalanceSettings read(Document d) {
        BalanceSettings x = BalanceSettings.DEFAULTS;
        return new BalanceSettings(d.choice("mode", BalanceMode::parse, x.mode()), d.choice("automation", Automation::parse, x.automation()),
                d.number("high_watermark", x.highWatermark()), d.number("target_utilization", x.targetUtilization()),
                d.number("tolerance", x.tolerance()), d.number("hysteresis", x.hysteresis()),
                d.number("min_improvement", x.minImprovement()), d.longInteger("cooldown_seconds", x.cooldownSeconds()),
                d.integer("max_concurrent", x.maxConcurrent()), d.number("bandwidth_bytes_per_sec", x.bandwidthBytesPerSec()),
                d.longInteger("host_hold_seconds", x.hostHoldSeconds()), d.longInteger("horizon_seconds", x.horizonSeconds()),
                d.number("penalty_watts", x.penaltyWatts()));
    }
}
