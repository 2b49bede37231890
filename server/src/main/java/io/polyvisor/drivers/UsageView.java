package io.polyvisor.drivers;

import io.polyvisor.spi.Usage;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest measured usage of hosts and VMs, in memory only (it is re-measured after a restart).
 * Written by the {@link HostMonitor}; read by the API, metrics and placement snapshots.
 */
public final class UsageView {
    private final Map<String, Usage> hosts = new ConcurrentHashMap<>();
    private final Map<UUID, Usage> vms = new ConcurrentHashMap<>();

    public Optional<Usage> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    public Optional<Usage> vm(UUID id) {
        return Optional.ofNullable(vms.get(id));
    }

    public Map<String, Usage> hosts() {
        return Map.copyOf(hosts);
    }

    public Map<UUID, Usage> vms() {
        return Map.copyOf(vms);
    }

    public void putHost(String name, Usage u) {
        hosts.put(name, u);
    }

    /** Replaces the usage of the VMs of one host: VMs it no longer reports are dropped. */
    public void putVms(Map<UUID, Usage> ofHost, java.util.Collection<UUID> previouslyOnHost) {
        previouslyOnHost.forEach(vms::remove);
        vms.putAll(ofHost);
    }

    public void forgetHost(String name) {
        hosts.remove(name);
    }
}
