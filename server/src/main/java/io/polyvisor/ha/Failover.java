package io.polyvisor.ha;

import java.util.List;

/**
 * One host failure as HA handled it, for {@code ha status} and the failover benchmark. Times are the
 * controller's monotonic milliseconds; -1 when the step has not happened (yet).
 *
 * @param lastHeartbeatMillis the host's last heartbeat before it was declared unreachable
 */
public record Failover(String host, long lastHeartbeatMillis, long declaredMillis, long fencedMillis, String outcome,
                       List<String> promoted, List<String> restarted) {
    public Failover {
        promoted = List.copyOf(promoted);
        restarted = List.copyOf(restarted);
    }

    Failover withFence(long at, String outcome) {
        return new Failover(host, lastHeartbeatMillis, declaredMillis, at, outcome, promoted, restarted);
    }

    Failover withPromoted(String vm) {
        var l = new java.util.ArrayList<>(promoted);
        l.add(vm);
        return new Failover(host, lastHeartbeatMillis, declaredMillis, fencedMillis, outcome, l, restarted);
    }

    Failover withRestarted(String vm) {
        var l = new java.util.ArrayList<>(restarted);
        l.add(vm);
        return new Failover(host, lastHeartbeatMillis, declaredMillis, fencedMillis, outcome, promoted, l);
    }
}
