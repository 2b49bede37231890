package io.polyvisor.ha;

import io.polyvisor.model.InvalidInput;

/**
 * Cluster-wide high-availability settings.
 *
 * @param tolerateHostFailures admission control: how many simultaneous host failures the protected VMs
 *                             must survive (0 disables admission control), 0 to 8
 * @param fenceRetrySeconds    how long a host whose fencing failed waits before fencing is tried again, 5 to 3600
 */
public record HaSettings(int tolerateHostFailures, int fenceRetrySeconds) {
    public static final HaSettings DEFAULTS = new HaSettings(0, 30);

    public HaSettings {
        InvalidInput.require(tolerateHostFailures >= 0 && tolerateHostFailures <= 8,
                "tolerate_host_failures must be between 0 and 8, got " + tolerateHostFailures);
        InvalidInput.require(fenceRetrySeconds >= 5 && fenceRetrySeconds <= 3600,
                "fence_retry_seconds must be between 5 and 3600, got " + fenceRetrySeconds);
    }
}
