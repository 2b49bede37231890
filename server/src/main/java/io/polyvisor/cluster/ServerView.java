package io.polyvisor.cluster;

import java.time.Instant;
import java.util.List;

/**
 * A server as {@code GET /api/v1/servers} shows it. {@code heartbeatAgeMs} is measured by the database's clock;
 * {@code alive} means younger than the lease TTL.
 */
public record ServerView(String name, String address, String role, boolean alive, List<String> hostsOwned, Instant lastHeartbeat,
                         long heartbeatAgeMs, Instant started, long epoch) {}
