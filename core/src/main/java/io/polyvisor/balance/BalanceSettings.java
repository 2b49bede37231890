package io.polyvisor.balance;

import io.polyvisor.model.InvalidInput;

/**
 * How the balancer behaves. All fractions are of a host's physical CPU (cores) or memory.
 *
 * @param highWatermark        a host whose measured CPU is above this fraction is overloaded and relieved
 * @param targetUtilization    moves never take a destination above this fraction (and relief stops here)
 * @param tolerance            balance mode: imbalance (mean of the std devs of CPU and memory fractions) that triggers a plan
 * @param hysteresis           balance mode: once triggered, moves continue until imbalance is at most tolerance x (1 - hysteresis)
 * @param minImprovement       benefit threshold: a balance move must lower imbalance by at least this much
 * @param cooldownSeconds      a VM moved less than this long ago is not moved again (maintenance excepted)
 * @param maxConcurrent        migrations in flight plus planned never exceed this
 * @param bandwidthBytesPerSec migration bandwidth used to estimate cost (memory / (bandwidth - dirty rate))
 * @param hostHoldSeconds      consolidate: a host active for less than this is not evacuated (host hysteresis)
 * @param horizonSeconds       consolidate: a host is evacuated only if idle watts x horizon exceeds
 * @param penaltyWatts         ... this many watts per second of migration (migration cost as energy)
 */
public record BalanceSettings(BalanceMode mode, Automation automation, double highWatermark, double targetUtilization,
                              double tolerance, double hysteresis, double minImprovement, long cooldownSeconds, int maxConcurrent,
                              double bandwidthBytesPerSec, long hostHoldSeconds, long horizonSeconds, double penaltyWatts) {
    public static final BalanceSettings DEFAULTS = new BalanceSettings(BalanceMode.BALANCE, Automation.MANUAL, 0.85, 0.75,
            0.10, 0.30, 0.005, 1800, 8, 62.5e6, 1800, 3600, 100);

    public BalanceSettings {
        InvalidInput.require(mode != null, "balance mode is required");
        InvalidInput.require(automation != null, "automation level is required");
        InvalidInput.require(highWatermark > 0 && highWatermark <= 1.5, "high watermark must be in (0, 1.5], got " + highWatermark);
        InvalidInput.require(targetUtilization > 0 && targetUtilization <= highWatermark,
                "target utilization must be in (0, high watermark " + highWatermark + "], got " + targetUtilization);
        InvalidInput.require(tolerance >= 0 && tolerance < 1, "tolerance must be in [0, 1), got " + tolerance);
        InvalidInput.require(hysteresis >= 0 && hysteresis < 1, "hysteresis must be in [0, 1), got " + hysteresis);
        InvalidInput.require(minImprovement >= 0, "min improvement must not be negative, got " + minImprovement);
        InvalidInput.require(cooldownSeconds >= 0, "cooldown must not be negative, got " + cooldownSeconds);
        InvalidInput.require(maxConcurrent >= 1 && maxConcurrent <= 100_000, "max concurrent migrations must be between 1 and 100000, got " + maxConcurrent);
        InvalidInput.require(bandwidthBytesPerSec > 0, "migration bandwidth must be positive, got " + bandwidthBytesPerSec);
        InvalidInput.require(hostHoldSeconds >= 0 && horizonSeconds >= 0 && penaltyWatts >= 0, "host hold, horizon and penalty must not be negative");
    }

    public BalanceSettings withMode(BalanceMode m) {
        return new BalanceSettings(m, automation, highWatermark, targetUtilization, tolerance, hysteresis, minImprovement,
                cooldownSeconds, maxConcurrent, bandwidthBytesPerSec, hostHoldSeconds, horizonSeconds, penaltyWatts);
    }

    public BalanceSettings withAutomation(Automation a) {
        return new BalanceSettings(mode, a, highWatermark, targetUtilization, tolerance, hysteresis, minImprovement,
                cooldownSeconds, maxConcurrent, bandwidthBytesPerSec, hostHoldSeconds, horizonSeconds, penaltyWatts);
    }

    public BalanceSettings withWatermarks(double high, double target) {
        return new BalanceSettings(mode, automation, high, target, tolerance, hysteresis, minImprovement,
                cooldownSeconds, maxConcurrent, bandwidthBytesPerSec, hostHoldSeconds, horizonSeconds, penaltyWatts);
    }

    public BalanceSettings withLimits(long cooldown, int concurrent, long hostHold) {
        return new BalanceSettings(mode, automation, highWatermark, targetUtilization, tolerance, hysteresis, minImprovement,
                cooldown, concurrent, bandwidthBytesPerSec, hostHold, horizonSeconds, penaltyWatts);
    }
}
