package io.polyvisor.ha;

import io.polyvisor.model.Host;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.store.Store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Sends the heartbeats: one platform thread per host calls {@link HostConnection#alive()} every
 * {@code interval} and reports each success. A probe that hangs (a partitioned host) only delays that
 * host's own heartbeats, which is exactly what the detector should see. A host whose connection cannot be
 * opened simply sends no heartbeat; the connection is opened again at the next probe.
 */
public final class HeartbeatProber implements AutoCloseable {
    private final Store store;
    private final HostAccess hosts;
    private final Consumer<String> heartbeat;
    private final Duration interval;
    private final Map<String, Thread> probers = new ConcurrentHashMap<>();
    private final Thread roster;
    private volatile boolean closed;

    public HeartbeatProber(Store store, HostAccess hosts, Consumer<String> heartbeat, Duration interval) {
        this.store = store;
        this.hosts = hosts;
        this.heartbeat = heartbeat;
        this.interval = interval;
        this.roster = Thread.ofPlatform().daemon().name("ha-roster").unstarted(this::roster);
    }

    public void start() {
        roster.start();
    }

    /** Keeps one prober per registered host, starting and stopping them as hosts come and go. */
    private void roster() {
        while (!closed) {
            try {
                var names = store.hosts().stream().map(Host::name).toList();
                // platform threads: a probe may block in native code (libvirt through JNA), which would pin a
                // virtual thread's carrier and starve the other probes
                for (String n : names) {
                    probers.computeIfAbsent(n, h -> Thread.ofPlatform().daemon().name("ha-probe-" + h).start(() -> probe(h)));
                }
                probers.keySet().removeIf(n -> {
                    if (names.contains(n)) return false;
                    probers.get(n).interrupt();
                    return true;
                });
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                sleepQuietly(1_000); // the store is briefly unavailable: keep the probers running
            }
        }
    }

    private void probe(String host) {
        while (!closed && probers.containsKey(host)) {
            long start = System.nanoTime();
            try {
                if (hosts.connect(host).alive()) heartbeat.accept(host);
            } catch (RuntimeException e) {
                // unreachable or not connectable: no heartbeat this round
            }
            long left = interval.toNanos() - (System.nanoTime() - start);
            if (left > 0 && !sleepQuietly(left / 1_000_000)) return;
        }
    }

    private static boolean sleepQuietly(long millis) {
        try {
            Thread.sleep(Math.max(1, millis));
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        roster.interrupt();
        probers.values().forEach(Thread::interrupt);
    }
}
