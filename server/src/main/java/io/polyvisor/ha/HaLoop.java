package io.polyvisor.ha;

import io.polyvisor.drivers.HostProber;
import io.polyvisor.feature.Controller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * HA's loops in the server: the heartbeats (every answered probe of the server's one {@link HostProber}), the
 * {@link HaController}'s tick every {@code tick} (and the service endpoints' sync every fifth), and the guest
 * health checks every 500 ms. Each loop survives a failed round; the next one tries again.
 */
final class HaLoop implements Controller {
    private static final Logger log = LoggerFactory.getLogger(HaLoop.class);

    private final HaController controller;
    private final ServiceEndpoints endpoints;
    private final GuestHealth guests;
    private final HostProber prober;
    private final Duration tick;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ha").factory());
    private final ScheduledExecutorService guestChecks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ha-guest-checks").factory());
    private HostProber.Subscription heartbeats;
    private long ticks;

    HaLoop(HaController controller, ServiceEndpoints endpoints, GuestHealth guests, HostProber prober, Duration tick) {
        this.controller = controller;
        this.endpoints = endpoints;
        this.guests = guests;
        this.prober = prober;
        this.tick = tick;
    }

    @Override
    public synchronized void start() {
        heartbeats = prober.onAnswer(controller::heartbeat);
        ticker.scheduleWithFixedDelay(() -> {
            try {
                controller.tick();
                if (ticks++ % 5 == 0) endpoints.sync(); // opens endpoints of new standby-protected VMs
            } catch (RuntimeException | Error e) {
                // an uncaught throwable would end the schedule silently: HA would stop for good
                io.polyvisor.store.Stores.logFailure(log, "HA tick failed", e);
            }
        }, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        guestChecks.scheduleWithFixedDelay(() -> {
            try {
                guests.check();
            } catch (RuntimeException | Error e) {
                log.warn("guest health checks failed: {}", e.toString());
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        guestChecks.shutdownNow();
        if (heartbeats != null) heartbeats.close();
        endpoints.close();
    }
}
