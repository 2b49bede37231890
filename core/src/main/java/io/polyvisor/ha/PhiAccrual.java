package io.polyvisor.ha;

/**
 * The phi-accrual failure detector (Hayashibara et al., 2004; the Akka/Cassandra variant). phi is
 * {@code -log10} of the probability that a heartbeat would still arrive after the silence observed so
 * far, given the history's mean and standard deviation: phi 1 means a 10 % chance the host is fine,
 * phi 8 one in a hundred million. Levels are thresholds on phi, so a host with jittery heartbeats gets
 * more patience than one with regular heartbeats. Pure: the caller passes the current time.
 */
public final class PhiAccrual {
    /** phi once the probability is beyond double precision: as suspicious as it gets. */
    static final double MAX_PHI = 300;

    private final DetectorSettings settings;

    public PhiAccrual(DetectorSettings settings) {
        this.settings = settings;
    }

    public DetectorSettings settings() {
        return settings;
    }

    public HeartbeatHistory start(long atMillis) {
        return HeartbeatHistory.first(atMillis, settings.window());
    }

    /**
     * phi at {@code nowMillis}; 0 when no time has passed since the last heartbeat. Always finite, between 0 and
     * {@value #MAX_PHI}, and never smaller for a longer silence.
     */
    public double phi(HeartbeatHistory history, long nowMillis) {
        double silence = Math.max(0, nowMillis - history.lastMillis());
        double mean = history.mean(settings.firstIntervalMillis()) + settings.acceptablePauseMillis();
        double std = Math.max(history.stdDev(settings.minStdDevMillis()), settings.minStdDevMillis());
        double y = (silence - mean) / std;
        // logistic approximation of the normal CDF (as in Akka); exp clamps to 0 or infinity gracefully
        double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        double p = silence > mean ? e / (1.0 + e) : 1.0 - 1.0 / (1.0 + e);
        // capped: subnormal p gives phi up to 323, and p underflowing to 0 a little later must not lower it
        if (p <= 0) return MAX_PHI;
        return Math.clamp(-Math.log10(p), 0, MAX_PHI);
    }

    public Suspicion level(HeartbeatHistory history, long nowMillis) {
        double phi = phi(history, nowMillis);
        if (phi >= settings.unreachablePhi()) return Suspicion.UNREACHABLE;
        if (phi >= settings.suspectPhi()) return Suspicion.SUSPECT;
        return Suspicion.HEALTHY;
    }
}
