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
 * The one connection pool to the hypervisors. Thread-safe. Per host it holds two connections, each opened on
 * first use:
 * <ul>
 *   <li>the <b>work</b> connection ({@link #get}): the task executor's driver steps, the inventory's listing,
 *       stats and event subscription, the API's checks. The host monitor drops it when the host stops
 *       answering ({@link #drop}), so that it is opened afresh when the host is back.</li>
 *   <li>the <b>watch</b> connection ({@link #watch}): liveness probes (HA's heartbeats) and host fencing. It is
 *       separate so that a heartbeat never waits behind a long call on the work connection (a libvirt domain
 *       start can hold a connection's calls for seconds, enough to get a healthy host declared unreachable
 *       and fenced). It is kept across outages: a driver with out-of-band fencing (the simulator's power
 *       control) fences through a connection opened while the host was up, even when the host no longer
 *       answers and no new connection could be opened. Only a watch connection that never answered is
 *       replaced ({@link #reopenWatch}).</li>
 * </ul>
 * A host whose connection cannot be opened gets a retryable {@link DriverException}, so tasks retry.
 * {@link #forget} closes both when a host is removed.
 */
public final class Connections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Connections.class);

    private final DriverRegistry drivers;
    private final Store store;
    private final Map<String, HostConnection> open = new ConcurrentHashMap<>();
    private final Map<String, HostConnection> watch = new ConcurrentHashMap<>();

    public Connections(DriverRegistry drivers, Store store) {
        this.drivers = drivers;
        this.store = store;
    }

    public DriverRegistry drivers() {
        return drivers;
    }

    /** The work connection to host {@code name}, opening it if needed. */
    public HostConnection get(String name) {
        return get(open, name);
    }

    /** The work connection if it is open already; never connects. */
    public Optional<HostConnection> ifOpen(String name) {
        return Optional.ofNullable(open.get(name));
    }

    /** Adopts a connection opened elsewhere as the work connection (the API opens one to check a new host is reachable). */
    public void put(String name, HostConnection c) {
        HostConnection old = open.put(name, c);
        if (old != null && old != c) closeQuietly(name, old);
    }

    /** Closes and forgets the work connection to {@code name}, if any; the watch connection stays. */
    public void drop(String name) {
        HostConnection c = open.remove(name);
        if (c != null) closeQuietly(name, c);
    }

    /** The watch connection to host {@code name} (liveness probes, fencing), opening it if needed. */
    public HostConnection watch(String name) {
        return get(watch, name);
    }

    /** The watch connection if one is open, even to a host that does not answer now; never connects (so never hangs). */
    public Optional<HostConnection> watching(String name) {
        return Optional.ofNullable(watch.get(name));
    }

    /**
     * Forgets the watch connection to {@code name} so that the next {@link #watch} opens a fresh one, and closes it
     * in the background (closing a connection that hangs may hang too). For a connection that never answered: one
     * opened while a daemon was still starting can stay silent for good.
     */
    public void reopenWatch(String name) {
        HostConnection c = watch.remove(name);
        if (c != null) Thread.ofPlatform().daemon().name("close-" + name).start(() -> closeQuietly(name, c));
    }

    /** The host was removed: closes and forgets both its connections. */
    public void forget(String name) {
        drop(name);
        HostConnection c = watch.remove(name);
        if (c != null) closeQuietly(name, c);
    }

    private HostConnection get(Map<String, HostConnection> pool, String name) {
        HostConnection c = pool.get(name);
        if (c != null) return c;
        Host host = store.host(name).orElseThrow(() -> new DriverException("host " + name + " is not registered"));
        return pool.computeIfAbsent(name, n -> connect(n, host.uri()));
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
        watch.forEach(this::closeQuietly);
        watch.clear();
    }

    private void closeQuietly(String name, HostConnection c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            log.warn("closing connection to host {} failed: {}", name, e.toString());
        }
    }
}
