package io.polyvisor.inventory;

import io.polyvisor.balance.BalanceSettings;
import io.polyvisor.balance.Balancer;
import io.polyvisor.drivers.Connections;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Capacity;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.HostInfo;
import io.polyvisor.store.Store;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/** What the API asks of hosts: add (after connecting), remove (when empty), maintenance on and off. */
public final class HostRequests {
    private final Store store;
    private final Connections conns;
    private final Journal journal;
    private final PlacementSettings placement;

    /** @param placement the scheduler's settings: entering maintenance is checked against the hard placement rules */
    public HostRequests(Store store, Connections conns, Journal journal, PlacementSettings placement) {
        this.store = store;
        this.conns = conns;
        this.journal = journal;
        this.placement = placement;
    }

    /**
     * Connects to {@code uri} and registers the host with the capacity it reports. An unreachable host or an
     * unknown scheme is bad input (nothing is registered).
     *
     * @param name null to derive it: {@code sim://dc/NAME} gives NAME, else the host's own hostname, sanitised
     */
    public synchronized Host add(URI uri, String name, Map<String, String> labels) {
        if (name != null) Names.requireName("host", name);
        Names.requireLabels(labels);
        if (labels != null) {
            for (String k : labels.keySet()) {
                if (k.startsWith(io.polyvisor.disk.SharedPool.LABEL_PREFIX)) {
                    throw new io.polyvisor.model.InvalidInput("label " + k + " is reserved: a host gets the labels "
                            + io.polyvisor.disk.SharedPool.LABEL_PREFIX + "NAME of the shared pools declared on it (polyvisor pool create)");
                }
            }
        }
        for (Host h : store.hosts()) {
            if (h.uri().equals(uri)) throw Refusal.conflict("host " + h.name() + " already has URI " + uri);
            if (h.name().equals(name)) throw Refusal.conflict("a host named " + name + " already exists");
        }
        HostConnection c;
        try {
            c = conns.drivers().connect(uri);
        } catch (DriverException e) {
            throw new InvalidInput("cannot connect to " + uri + ": " + e.getMessage());
        }
        HostInfo info;
        try {
            info = c.info();
        } catch (DriverException e) {
            c.close();
            throw new InvalidInput("cannot connect to " + uri + ": " + e.getMessage());
        }
        String finalName = name != null ? name : defaultName(uri, info);
        if (store.host(finalName).isPresent()) {
            c.close();
            throw Refusal.conflict("a host named " + finalName + " already exists");
        }
        Host host = new Host(finalName, uri, new Capacity(info.cpus(), info.memoryBytes()), labels, HostState.CONNECTED);
        try {
            store.inTransaction(tx -> {
                tx.insertHost(host);
                journal.record(tx, InventoryEvent.HOST_ADDED, finalName, "host " + finalName + " added: " + uri + " (" + info.cpus()
                        + " CPUs, " + io.polyvisor.model.Sizes.format(info.memoryBytes()) + ")");
                return null;
            });
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        journal.signal();
        conns.put(finalName, c);
        return host;
    }

    public synchronized void remove(String name) {
        Host h = find(name);
        int n = store.vmsOnHost(name).size();
        if (n > 0) throw Refusal.conflict("host " + name + " still has " + n + (n == 1 ? " VM" : " VMs"));
        store.inTransaction(tx -> {
            tx.deleteHost(h.name());
            journal.record(tx, InventoryEvent.HOST_REMOVED, name, "host " + name + " removed");
            return null;
        });
        journal.signal();
        conns.forget(name);
    }

    /**
     * Maintenance on: no new VMs are placed there (evacuation belongs to the balancer); refused (409) when a VM on it
     * could only go to the host of its own standby (or primary), since the pair never shares a host. Off: connected again.
     */
    public synchronized Host maintenance(String name, boolean enabled) {
        Host h = find(name);
        HostState next = enabled ? HostState.MAINTENANCE : HostState.CONNECTED;
        if (!enabled && h.state() != HostState.MAINTENANCE) return h;
        if (enabled && h.state() == HostState.MAINTENANCE) return h;
        if (enabled && h.state() == HostState.FAILED) {
            throw Refusal.conflict("host " + name + " is failed; it cannot enter maintenance");
        }
        if (enabled) {
            var stuck = new Balancer(BalanceSettings.DEFAULTS, placement)
                    .pairsWithNowhereToGo(ClusterSnapshot.of(store.hosts(), store.vms()), name);
            if (!stuck.isEmpty()) {
                throw Refusal.conflict("host " + name + " cannot enter maintenance: " + String.join("; and ", stuck));
            }
        }
        Host updated = h.withState(next);
        store.updateHost(updated);
        journal.record(InventoryEvent.HOST_STATE, name, "host " + name + (enabled ? " entered" : " left") + " maintenance");
        return updated;
    }

    public Host find(String name) {
        return store.host(name).orElseThrow(() -> Refusal.notFound("host " + name + " not found"));
    }

    /** {@code sim://dc/NAME} gives NAME; otherwise the host's hostname, lower-cased with other characters as '-'. */
    static String defaultName(URI uri, HostInfo info) {
        String path = uri.getPath();
        if ("sim".equals(uri.getScheme()) && path != null && path.length() > 1) {
            return Names.requireName("host", path.substring(path.lastIndexOf('/') + 1));
        }
        String raw = info.hostname() == null ? "" : info.hostname().toLowerCase(Locale.ROOT);
        String cleaned = raw.replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (cleaned.length() > 63) cleaned = cleaned.substring(0, 63).replaceAll("-+$", "");
        return Names.requireName("host", cleaned.isEmpty() ? "host" : cleaned);
    }
}
