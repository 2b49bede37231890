package io.polyvisor.ha;

import io.polyvisor.model.Host;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.store.Store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Sends the heartbeats: one platform thread per host calls {@link HostConnection#alive()} every
 * {@code interval} and reports each success. A probe that hangs (a partitioned host) only delays that
 * host's own heartbeats, which is exactly what the detector should see. A host whose connection cannot be
 * opened simply sends no heartbeat; the connection is opened again at the next probe. See {@link #probe}.
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
                    // registered before it starts: a thread started inside computeIfAbsent could run before its
                    // entry exists, find its host missing, stop, and leave the host without heartbeats for good
                    if (probers.containsKey(n)) continue;
                    Thread t = Thread.ofPlatform().daemon().name("ha-probe-" + n).unstarted(() -> probe(n));
                    if (probers.putIfAbsent(n, t) == null) t.start();
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

    /**
     * One probe call in flight per host, on its own thread, awaited for at most one interval: a call that
     * hangs (a partitioned host) gives no heartbeats, as it should, without a thread per round. A connection
     * that has never answered for {@link #FIRST_ANSWER_WITHIN} is replaced by a fresh one: a connection opened
     * while a daemon was still starting can stay silent for good, and must not get a healthy host fenced.
     * Connections that answered once are kept, whatever happens (fencing may need them).
     */
    private void probe(String host) {
        Future<Boolean> inFlight = null;
        long since = System.nanoTime();
        Duration patience = FIRST_ANSWER_WITHIN;
        boolean answeredOnce = false;
        while (!closed && probers.containsKey(host)) {
            long start = System.nanoTime();
            if (inFlight == null) inFlight = CALLS.submit(() -> hosts.connect(host).alive());
            try {
                boolean ok = inFlight.get(interval.toMillis(), TimeUnit.MILLISECONDS);
                inFlight = null;
                if (ok) {
                    answeredOnce = true;
                    heartbeat.accept(host);
                }
            } catch (TimeoutException e) {
                // still waiting for the host: no heartbeat this round
            } catch (ExecutionException e) {
                inFlight = null; // unreachable or not connectable: no heartbeat this round
            } catch (InterruptedException e) {
                return;
            }
            if (!answeredOnce && System.nanoTime() - since > patience.toNanos()) {
                if (inFlight != null) inFlight.cancel(true);
                inFlight = null;
                hosts.reopen(host);
                since = System.nanoTime();
                patience = patience.multipliedBy(2).compareTo(MAX_PATIENCE) > 0 ? MAX_PATIENCE : patience.multipliedBy(2);
            }
            long left = interval.toNanos() - (System.nanoTime() - start);
            if (left > 0 && !sleepQuietly(left / 1_000_000)) return;
        }
    }

    /** How long a fresh connection may stay silent before it is replaced; doubled after each replacement. */
    static final Duration FIRST_ANSWER_WITHIN = Duration.ofSeconds(2);
    static final Duration MAX_PATIENCE = Duration.ofSeconds(64);

    /** Platform threads: a probe may block in native code (libvirt through JNA). */
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
        var t = new Thread(r, "ha-probe-call");
        t.setDaemon(true);
        return t;
    });

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
