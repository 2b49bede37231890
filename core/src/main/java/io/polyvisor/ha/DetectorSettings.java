package io.polyvisor.ha;

import io.polyvisor.model.InvalidInput;

/**
 * Tuning of the phi-accrual failure detector. The defaults, with heartbeats every 200 ms, declare a host
 * suspect about 1.2 s and unreachable about 1.5 s after its last heartbeat (see docs/HA.md).
 *
 * @param suspectPhi          phi at or above which a host is {@link Suspicion#SUSPECT}
 * @param unreachablePhi      phi at or above which a host is {@link Suspicion#UNREACHABLE}; greater than suspectPhi
 * @param minStdDevMillis     floor for the interval standard deviation, so a very regular history is not brittle
 * @param acceptablePauseMillis extra silence tolerated on top of the mean interval (GC pauses, a slow probe)
 * @param firstIntervalMillis the interval assumed until two heartbeats have been seen
 * @param window              how many recent intervals are kept
 */
public record DetectorSettings(double suspectPhi, double unreachablePhi, double minStdDevMillis,
                               double acceptablePauseMillis, double firstIntervalMillis, int window) {
    public static final DetectorSettings DEFAULTS = new DetectorSettings(1.0, 8.0, 100, 800, 200, 100);

    public DetectorSettings {
        InvalidInput.require(suspectPhi > 0, "suspect phi must be positive, got " + suspectPhi);
        InvalidInput.require(unreachablePhi > suspectPhi,
                "unreachable phi must be greater than suspect phi (" + suspectPhi + "), got " + unreachablePhi);
        InvalidInput.require(minStdDevMillis > 0, "minimum standard deviation must be positive, got " + minStdDevMillis);
        InvalidInput.require(acceptablePauseMillis >= 0, "acceptable pause must not be negative, got " + acceptablePauseMillis);
        InvalidInput.require(firstIntervalMillis > 0, "first interval must be positive, got " + firstIntervalMillis);
        InvalidInput.require(window >= 2 && window <= 10_000, "window must be between 2 and 10000, got " + window);
    }
}
