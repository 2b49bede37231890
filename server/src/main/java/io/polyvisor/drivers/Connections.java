package io.polyvisor.drivers;

import io.polyvisor.model.Host;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.DriverRegistry;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One open {@link HostConnection} per host name, opened on first use and kept. Thread-safe.
 * A host whose connection cannot be opened gets a retryable {@link DriverException}, so tasks retry.
 */
public final class Connections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Connections.class);

    private final DriverRegistry drivers;
    private final Store store;
    private final Map<String, HostConnection> open = new ConcurrentHashMap<>();

    public Connections(DriverRegistry drivers, Store store) {
        this.drivers = drivers;
        this.store = store;
    }

    public DriverRegistry drivers() {
        return drivers;
    }

    /** The connection to host {@code name}, opening it if needed. */
    public HostConnection get(String name) {
        HostConnection c = open.get(name);
        if (c != null) return c;
        Host host = store.host(name).orElseThrow(() -> new DriverException("host " + name + " is not registered"));
        return open.computeIfAbsent(name, n -> connect(n, host.uri()));
    }

    /** The connection if it is open already; never connects. */
    public Optional<HostConnection> ifOpen(String name) {
        return Optional.ofNullable(open.get(name));
    }

    /** Adopts a connection opened elsewhere (the API opens one to check a new host is reachable). */
    public void put(String name, HostConnection c) {
        HostConnection old = open.put(name, c);
        if (old != null && old != c) closeQuietly(name, old);
    }

    /** Closes and forgets the connection to {@code name}, if any. */
    public void drop(String name) {
        HostConnection c = open.remove(name);
        if (c != null) closeQuietly(name, c);
    }

    private HostConnection connect(String name, URI uri) {
        try {
            return drivers.connect(uri);
        } catch (DriverException e) {
            throw new DriverException("cannot connect to host " + name + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public void close() {
        open.forEach(this::closeQuietly);
        open.clear();
    }

    private void closeQuietly(String name, HostConnection c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            log.warn("closing connection to host {} failed: {}", name, e.toString());
        }
    }
}
