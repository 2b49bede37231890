package io.polyvisor.cluster;

import io.polyvisor.model.InvalidInput;

import java.time.Duration;

/**
 * How this server takes part in a cluster (docs/CLUSTER.md).
 *
 * @param name     unique among the servers sharing the database ({@code --server-name}, default the machine's host name)
 * @param instance this data folder's identity ({@code DATA/server-instance}): a restart on the same folder is the same
 *                 server coming back, not a second one
 * @param address  the API's URL, shown to users
 * @param renew    how often heartbeats and leases are renewed
 * @param ttl      how long a lease lasts after a renewal (database clock), and how old a heartbeat may be for a live member
 * @param margin   this server stops acting on a lease this long before its TTL runs out, counted (by its own monotonic
 *                 clock) from the moment it sent the renewal: well before anyone else may take the lease
 */
public record ClusterSettings(String name, String instance, String address, Duration renew, Duration ttl, Duration margin) {
    public static final Duration RENEW = Duration.ofMillis(Long.getLong("polyvisor.cluster.renew-ms", 1000));
    public static final Duration TTL = Duration.ofMillis(Long.getLong("polyvisor.cluster.ttl-ms", 3000));
    public static final Duration MARGIN = Duration.ofMillis(Long.getLong("polyvisor.cluster.margin-ms", 1000));

    public ClusterSettings {
        InvalidInput.require(name != null && name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}"),
                "server name must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit, got '" + name + "'");
        InvalidInput.require(renew.compareTo(ttl.minus(margin)) < 0,
                "lease renewal (" + renew.toMillis() + " ms) must come before the lease stops being trusted (TTL - margin = "
                        + ttl.minus(margin).toMillis() + " ms)");
        InvalidInput.require(margin.isPositive(), "lease margin must be positive");
    }
}
