package io.polyvisor.ha;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The failure detector's state for every host: heartbeat history and {@link HostHealth}. Heartbeats may be
 * recorded from any thread; {@link #observe} is called by the controller's single tick thread.
 */
final class HostWatch {
    private final PhiAccrual detector;
    private final Map<String, HeartbeatHistory> histories = new ConcurrentHashMap<>();
    private final Map<String, HostHealth> health = new ConcurrentHashMap<>();
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    /** How long a host just added (or seen at startup) has to send its first heartbeat. */
    static final long STARTUP_GRACE_MILLIS = 3_000;

    HostWatch(PhiAccrual detector) {
        this.detector = detector;
    }

    /**
     * A successful liveness probe of {@code host} at {@code atMillis}. The first heartbeat after the host was
     * declared unreachable starts a fresh history: the outage's silence is not a heartbeat interval, and
     * keeping it would make the detector absurdly patient the next time.
     */
    void heartbeat(String host, long atMillis) {
        HostHealth h = health.get(host);
        boolean fresh = h != null && !(h instanceof HostHealth.Healthy || h instanceof HostHealth.Suspect);
        histories.compute(host, (k, old) -> old == null || fresh ? detector.start(atMillis) : old.record(atMillis));
    }

    /**
     * Moves every host's health on by the detector's current opinion and returns the hosts whose health
     * changed, old to new. Hosts not in {@code hosts} are forgotten; new ones start healthy and get
     * {@link #STARTUP_GRACE_MILLIS} to send a first heartbeat (so a host that never answers is declared
     * unreachable after the grace plus the usual silence).
     */
    Map<String, HostHealth[]> observe(Set<String> hosts, long now) {
        histories.keySet().retainAll(hosts);
        health.keySet().retainAll(hosts);
        firstSeen.keySet().retainAll(hosts);
        var changed = new HashMap<String, HostHealth[]>();
        for (String host : hosts) {
            long seen = firstSeen.computeIfAbsent(host, h -> now);
            HeartbeatHistory hist = histories.getOrDefault(host, detector.start(seen + STARTUP_GRACE_MILLIS));
            HostHealth before = health.computeIfAbsent(host, h -> new HostHealth.Healthy(now));
            HostHealth after = before.observe(detector.level(hist, now), now);
            if (after != before) {
                health.put(host, after);
                changed.put(host, new HostHealth[] {before, after});
            }
        }
        return changed;
    }

    void set(String host, HostHealth h) {
        health.put(host, h);
    }

    HostHealth health(String host) {
        return health.getOrDefault(host, new HostHealth.Healthy(0));
    }

    Map<String, HostHealth> all() {
        return Map.copyOf(health);
    }

    long lastHeartbeat(String host) {
        var h = histories.get(host);
        return h == null ? -1 : h.lastMillis();
    }

    double phi(String host, long now) {
        var h = histories.get(host);
        return h == null ? 0 : detector.phi(h, now);
    }

    List<String> hosts() {
        return List.copyOf(health.keySet());
    }
}
