package io.polyvisor.ha;

import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.DriverRegistry;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.store.Store;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HA's own connection per host, kept open across outages (the host monitor drops and reopens its own).
 * Keeping it matters for fencing: a driver with out-of-band fencing (the simulator's power control) can
 * fence through a connection opened while the host was up, even when the host no longer answers.
 */
public final class OwnConnections implements HostAccess, AutoCloseable {
    private final DriverRegistry drivers;
    private final Store store;
    private final Map<String, HostConnection> open = new ConcurrentHashMap<>();

    public OwnConnections(DriverRegistry drivers, Store store) {
        this.drivers = drivers;
        this.store = store;
    }

    @Override
    public HostConnection connect(String host) {
        HostConnection c = open.get(host);
        if (c != null) return c;
        var h = store.host(host).orElseThrow(() -> new DriverException("host " + host + " is not registered"));
        return open.computeIfAbsent(host, n -> drivers.connect(h.uri()));
    }

    @Override
    public Optional<HostConnection> open(String host) {
        return Optional.ofNullable(open.get(host));
    }

    @Override
    public void reopen(String host) {
        HostConnection c = open.remove(host);
        if (c != null) Thread.ofPlatform().daemon().name("ha-close-" + host).start(() -> closeQuietly(c));
    }

    private static void closeQuietly(HostConnection c) {
        try {
            c.close();
        } catch (RuntimeException ignored) {
            // a connection that never answered: nothing to save
        }
    }

    @Override
    public void close() {
        open.values().forEach(c -> {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // closing at shutdown: nothing to do about it
            }
        });
        open.clear();
    }
}
