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
    /**
     * A gap this long between two observations means this server itself was paused (GC, CPU starvation, a stalled
     * VM): the probe threads were paused as well, so the silence it saw is no evidence against any host.
     */
    static final long LOCAL_PAUSE_MILLIS = 1_000;
    /** After a local pause, how long no host is made worse off: time for the probe threads to deliver heartbeats again. */
    static final long AFTER_PAUSE_GRACE_MILLIS = 1_000;
    private long lastObserved = -1;
    private long pausedUntil = -1;

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
     * unreachable after the grace plus the usual silence). Called from one thread. After a gap of
     * {@link #LOCAL_PAUSE_MILLIS} since the previous call (this server was paused), no host's health worsens for
     * {@link #AFTER_PAUSE_GRACE_MILLIS}.
     */
    Map<String, HostHealth[]> observe(Set<String> hosts, long now) {
        if (lastObserved >= 0 && now - lastObserved >= LOCAL_PAUSE_MILLIS) pausedUntil = now + AFTER_PAUSE_GRACE_MILLIS;
        lastObserved = now;
        boolean holdSuspicion = now < pausedUntil;
        histories.keySet().retainAll(hosts);
        health.keySet().retainAll(hosts);
        firstSeen.keySet().retainAll(hosts);
        var changed = new HashMap<String, HostHealth[]>();
        for (String host : hosts) {
            long seen = firstSeen.computeIfAbsent(host, h -> now);
            HeartbeatHistory hist = histories.getOrDefault(host, detector.start(seen + STARTUP_GRACE_MILLIS));
            HostHealth before = health.computeIfAbsent(host, h -> new HostHealth.Healthy(now));
            Suspicion level = detector.level(hist, now);
            // Cassandra's failure detector does the same after a local pause: a host may recover, not worsen
            if (holdSuspicion && level != Suspicion.HEALTHY) continue;
            HostHealth after = before.observe(level, now);
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
