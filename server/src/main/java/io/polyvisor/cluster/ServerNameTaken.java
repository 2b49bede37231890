package io.polyvisor.cluster;

import io.polyvisor.leases.Member;

/** A live server (heartbeat within the lease TTL, by the database's clock) already runs under this name. */
public final class ServerNameTaken extends RuntimeException {
    public ServerNameTaken(Member m) {
        super("a server named " + m.name() + " is already running (" + m.address() + ", last heartbeat "
                + String.format(java.util.Locale.ROOT, "%.1f", m.heartbeatAgeMillis() / 1000.0)
                + " s ago by the database's clock): give this one another name with --server-name", null, false, false);
    }
}
