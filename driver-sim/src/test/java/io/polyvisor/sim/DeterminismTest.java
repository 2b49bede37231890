package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Same seed and same calls give the same results; only the seed changes the drawn loads. */
class DeterminismTest {

    @Test
    void theSameSeedAndCallsGiveTheSameObservations() {
        assertThat(scenario("det-a", 11)).isEqualTo(scenario("det-b", 11));
    }

    @Test
    void anotherSeedGivesOtherLoads() {
        assertThat(scenario("det-c", 11)).isNotEqualTo(scenario("det-d", 12));
    }

    /** Creates VMs, crashes a host, migrates, and records everything a controller could observe. */
    private static List<String> scenario(String name, long seed) {
        var clock = SimClock.virtual(Instant.parse("2026-01-01T00:00:00Z"));
        var dc = SimDatacenter.create(name, seed, clock, SimSettings.realistic());
        var log = new ArrayList<String>();
        var hosts = List.of("h1", "h2", "h3");
        for (var h : hosts) dc.addHost(h, 16, 64 * Sizes.GiB);
        var conns = hosts.stream().map(dc::connect).toList();
        for (var c : conns) c.events().subscribe(e -> log.add(c.uri().getPath() + " " + e));
        for (int i = 0; i < 30; i++) {
            var c = conns.get(i % 3);
            var id = new UUID(7, i);
            c.compute().define(id, "vm" + i, VmSpec.of(1 + i % 4, (1 + i % 3) * Sizes.GiB));
            c.compute().start(id);
            if (i % 5 == 0) dc.setDirtyRate(id, (long) i * 10 * Sizes.MiB);
        }
        clock.advance(Duration.ofMinutes(3));
        dc.crashHost("h3");
        for (var c : conns.subList(0, 2)) {
            log.add(c.uri().getPath() + " host " + c.stats().host());
            log.add(c.uri().getPath() + " vms " + new TreeMap<>(c.stats().vms()));
        }
        var moving = conns.get(0).compute().list().stream().map(d -> d.id()).sorted().toList();
        for (var id : moving.subList(0, 4)) {
            log.add("migrate " + conns.get(0).migration().migrate(id, conns.get(1), f -> {}));
        }
        log.add("end " + clock.now() + " " + new TreeMap<>(conns.get(1).stats().vms()));
        return log;
    }
}
