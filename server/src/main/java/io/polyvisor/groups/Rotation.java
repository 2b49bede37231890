package io.polyvisor.groups;

/**
 * How a member enters and leaves a group's HAProxy, one step per call so the controller never waits: the
 * same calls, called again, carry on where the last one stopped.
 *
 * <pre>
 *  join:  absent ─add (maintenance, checks on)─► checking ─HAProxy's check passed─► enable ─► in rotation
 *  leave: in rotation ─drain─► draining ─no session left─► maintenance, del server ─► gone
 * </pre>
 */
final class Rotation {
    private Rotation() {}

    /** One step of joining; true once the member is in rotation. */
    static boolean join(Haproxy h, java.util.Map<String, Haproxy.Server> known, String member, int port) {
        Haproxy.Server s = known.get(member);
        if (s == null) {
            h.add(member, port);
            return false;
        }
        return advance(h, s);
    }

    /** One step of joining for a member HAProxy already has: enables it once HAProxy's check passed; true once in rotation. */
    static boolean advance(Haproxy h, Haproxy.Server s) {
        if (s.inRotation()) return true;
        if ((s.maintenance() || s.draining()) && s.checkPassed()) h.enable(s.name());
        return false;
    }

    /**
     * One step of leaving; true once HAProxy no longer has the member. {@code force} removes it even with sessions
     * left (the drain timeout passed).
     */
    static boolean leave(Haproxy h, java.util.Map<String, Haproxy.Server> known, String member, boolean force) {
        Haproxy.Server s = known.get(member);
        if (s == null) return true;
        if (s.inRotation()) {
            h.drain(member);
            return false;
        }
        if (s.sessions() > 0 && !force) {
            if (!s.draining() && !s.maintenance()) h.drain(member);
            return false;
        }
        return h.remove(member);
    }
}
