package io.polyvisor.drivers;

import io.polyvisor.model.Capacity;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Sizes;
import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.sim.SimDriver;
import io.polyvisor.spi.DriverRegistry;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The one liveness probe: heartbeats for HA, liveness for the inventory, from the same calls. */
class HostProberTest {
    final String dc = "prober-" + UUID.randomUUID().toString().substring(0, 8);
    final Store store = Stores.open("jdbc:h2:mem:" + dc + ";DB_CLOSE_DELAY=-1", "sa", "");
    final Connections conns = new Connections(new DriverRegistry(List.of(new SimDriver())), store);
    final HostProber prober = new HostProber(store, conns, Duration.ofMillis(100));

    @AfterEach
    void close() {
        prober.close();
        conns.close();
        store.close();
    }

    void register(String name, URI uri) {
        store.insertHost(new Host(name, uri, new Capacity(4, 4 * Sizes.GiB), Map.of(), HostState.CONNECTED));
    }

    @Test
    void answersAreHeartbeatsAndLivenessFollowsTheHost() {
        SimDatacenter sim = SimDatacenter.named(dc);
        register("h1", sim.addHost("h1", 4, 4 * Sizes.GiB));
        Map<String, AtomicInteger> beats = new ConcurrentHashMap<>();
        prober.onAnswer(h -> beats.computeIfAbsent(h, k -> new AtomicInteger()).incrementAndGet());
        assertThat(prober.liveness("h1")).isEqualTo(new HostProber.Liveness.Unknown());
        prober.start();

        await().atMost(Duration.ofSeconds(3)).until(() -> beats.containsKey("h1") && beats.get("h1").get() >= 5);
        assertThat(prober.liveness("h1")).isEqualTo(new HostProber.Liveness.Up());

        sim.partition("h1");
        await().atMost(Duration.ofSeconds(2)).until(() -> prober.liveness("h1") instanceof HostProber.Liveness.Down);
        assertThat(prober.liveness("h1")).isEqualTo(new HostProber.Liveness.Down("host h1 did not answer"));
        int during = beats.get("h1").get();
        sleep(300);
        assertThat(beats.get("h1").get()).as("no heartbeat from a partitioned host").isEqualTo(during);
        var kept = conns.watching("h1");
        assertThat(kept).as("the watch connection is kept for fencing while the host does not answer").isPresent();

        sim.heal("h1");
        await().atMost(Duration.ofSeconds(2)).until(() -> prober.liveness("h1") instanceof HostProber.Liveness.Up);
        assertThat(conns.watching("h1")).containsSame(kept.get());
    }

    @Test
    void aHostThatCannotBeConnectedIsDownWithTheReason() {
        register("ghost", URI.create("nodriver://" + dc + "/ghost")); // no driver takes this scheme
        prober.start();
        await().atMost(Duration.ofSeconds(3)).until(() -> prober.liveness("ghost") instanceof HostProber.Liveness.Down);
        assertThat(prober.liveness("ghost")).isEqualTo(new HostProber.Liveness.Down("no driver for URI scheme 'nodriver'; known schemes: sim"));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
