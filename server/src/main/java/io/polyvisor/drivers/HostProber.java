package io.polyvisor.drivers;

import io.polyvisor.model.Host;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The one liveness probe of every host, feeding both HA's failure detector (each answer is a heartbeat, see
 * {@link #onAnswer}) and the inventory's host state ({@link #liveness}, read by the host monitor).
 *
 * <pre>
 *  roster (every 200 ms: registered hosts) ─► one thread per host ─► Connections.watch(host).alive() every interval
 *                                                                         │ at most one call in flight per host
 *                                     answered ─► heartbeat listeners (HA) │ every outcome ─► liveness(host) (inventory)
 * </pre>
 *
 * <p>One virtual thread per host has {@link HostConnection#alive()} called on the host's watch connection (see
 * {@link Connections}: never behind a long call of the executor) every {@code interval}; the call runs on a
 * thread of its own and is awaited for at most one interval, and a host never has two calls in flight. A call
 * that hangs (a partitioned host) only delays that host's own heartbeats, which is exactly what a detector should
 * see, without a thread per round. A host whose connection cannot be opened simply does not answer; it is opened
 * again at the next probe. A connection that has never answered for {@link #FIRST_ANSWER_WITHIN} is replaced by a
 * fresh one ({@link Connections#reopenWatch}): one opened while a daemon was still starting can stay silent for good,
 * and must not get a healthy host fenced. A connection that answered once is kept, whatever happens (fencing may
 * need it).
 */
public final class HostProber implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostProber.class);

    /** What the latest probe of a host says. */
    public sealed interface Liveness {
        /** Not probed yet: just registered, or the prober is starting. */
        record Unknown() implements Liveness {}

        /** The latest probe was answered. */
        record Up() implements Liveness {}

        /** The latest probe was not answered; {@code reason} is for users. */
        record Down(String reason) implements Liveness {}
    }

    /** How long a fresh connection may stay silent before it is replaced; doubled after each replacement. */
    static final Duration FIRST_ANSWER_WITHIN = Duration.ofSeconds(2);
    static final Duration MAX_PATIENCE = Duration.ofSeconds(64);

    private final Store store;
    private final Connections conns;
    private final Duration interval;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Liveness> latest = new ConcurrentHashMap<>();
    private final Map<String, Thread> probers = new ConcurrentHashMap<>();
    /** Platform threads: a probe may block in native code (libvirt through JNA), which would pin a virtual thread's carrier. */
    private final ExecutorService calls = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("host-probe-call").factory());
    private final Thread roster;
    private volatile boolean closed;
    private volatile HostOwnership owned = HostOwnership.ALL;

    public HostProber(Store store, Connections conns, Duration interval) {
        this.store = store;
        this.conns = conns;
        this.interval = interval;
        this.roster = Thread.ofPlatform().daemon().name("host-probe-roster").unstarted(this::roster);
    }

    /**
     * Calls {@code heartbeat} with the host's name after every answered probe, from that host's probe thread; it
     * must be quick. Close the handle to stop.
     */
    public Subscription onAnswer(Consumer<String> heartbeat) {
        listeners.add(heartbeat);
        return () -> listeners.remove(heartbeat);
    }

    /** A listener's registration; closing it stops the calls. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * What the latest finished probe of {@code host} says. A host that answers slowly is not down: while a call
     * waits for its answer (a busy daemon, or a partition until the driver's keepalive gives up), the previous
     * outcome stands. HA's detector judges the silence itself, from the heartbeats.
     */
    public Liveness liveness(String host) {
        return latest.getOrDefault(host, new Liveness.Unknown());
    }

    public void start() {
        roster.start();
    }

    /** Probes only the hosts this server owns (a cluster member); every host by default. Set before {@link #start()}. */
    public void ownedHosts(HostOwnership o) {
        this.owned = o;
    }

    /** Keeps one prober per registered host, starting and stopping them as hosts come and go. */
    private void roster() {
        while (!closed) {
            try {
                var names = store.hosts().stream().map(Host::name).filter(owned::owns).collect(java.util.stream.Collectors.toSet());
                for (String n : names) {
                    if (probers.containsKey(n)) continue;
                    // registered before it starts: a probe thread stops as soon as its host is not in the map
                    // a probe thread that ends for any reason leaves the map, so the next round starts another
                    // a virtual thread: it only waits (for its call, on a platform thread of `calls`, and between probes),
                    // so a server owning thousands of hosts does not hold thousands of platform threads for them
                    Thread t = Thread.ofVirtual().name("host-probe-" + n).unstarted(() -> {
                        try {
                            probe(n);
                        } finally {
                            probers.remove(n, Thread.currentThread());
                        }
                    });
                    probers.put(n, t);
                    t.start();
                }
                probers.keySet().removeIf(n -> {
                    if (names.contains(n)) return false;
                    probers.get(n).interrupt();
                    latest.remove(n);
                    return true;
                });
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                log.warn("host prober roster round failed: {}", e.toString());
                sleepQuietly(1_000); // the store is briefly unavailable: keep the probers running
            }
        }
    }

    private void probe(String host) {
        Future<Boolean> inFlight = null;
        long since = System.nanoTime();
        Duration patience = FIRST_ANSWER_WITHIN;
        boolean answeredOnce = false;
        while (!closed && probers.containsKey(host)) {
            long start = System.nanoTime();
            if (inFlight == null) {
                try {
                    inFlight = calls.submit(() -> conns.watch(host).alive());
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    return;
                }
            }
            try {
                boolean ok = inFlight.get(interval.toMillis(), TimeUnit.MILLISECONDS);
                inFlight = null;
                latest.put(host, ok ? new Liveness.Up() : notAnswered(host));
                if (ok) {
                    answeredOnce = true;
                    answered(host);
                }
            } catch (TimeoutException e) {
                // still waiting for the host: no heartbeat this round
            } catch (ExecutionException e) {
                inFlight = null; // not connectable: no heartbeat this round
                String why = e.getCause() == null ? null : e.getCause().getMessage();
                latest.put(host, why == null ? notAnswered(host) : new Liveness.Down(why));
            } catch (InterruptedException e) {
                return;
            }
            if (!answeredOnce && System.nanoTime() - since > patience.toNanos()) {
                if (inFlight != null) inFlight.cancel(true);
                inFlight = null;
                conns.reopenWatch(host);
                since = System.nanoTime();
                patience = patience.multipliedBy(2).compareTo(MAX_PATIENCE) > 0 ? MAX_PATIENCE : patience.multipliedBy(2);
            }
            long left = interval.toNanos() - (System.nanoTime() - start);
            if (left > 0 && !sleepQuietly(left / 1_000_000)) return;
        }
    }

    private void answered(String host) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(host);
            } catch (RuntimeException | Error e) {
                log.warn("heartbeat listener failed for host {}", host, e);
            }
        }
    }

    private static Liveness.Down notAnswered(String host) {
        return new Liveness.Down("host " + host + " did not answer");
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
        calls.shutdownNow();
    }
}
